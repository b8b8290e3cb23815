# expect: fail
# hint: call cache.init_app(app)
# why: the config is copied but the cache is never attached to the app
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    return app
