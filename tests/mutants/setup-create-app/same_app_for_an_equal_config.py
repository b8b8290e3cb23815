# expect: fail
# hint: same app for two equal configs
# why: memoises apps by config, so two workers with equal configs share one app
from flask import Flask
from flask_caching import Cache

cache = Cache()


_apps = {}
def create_app(config):
    key = repr(sorted(config.items()))
    if key not in _apps:
        app = Flask(__name__)
        app.config.update(config)
        cache.init_app(app)
        _apps[key] = app
    return _apps[key]
