# expect: fail
# hint: only the CACHE_* settings
# why: copies only the CACHE_* settings, so the app's own settings are lost
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update({k: v for k, v in config.items() if k.startswith('CACHE_')})
    cache.init_app(app)
    return app
