# expect: fail
# hint: 0 is a real value
# why: skips falsy settings, so CACHE_DEFAULT_TIMEOUT=0 (no expiry) is lost
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update({k: v for k, v in config.items() if v})
    cache.init_app(app)
    return app
