# expect: fail
# hint: init_app ran before the config
# why: init_app runs before the config is in app.config, so the cache is a NullCache
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    cache.init_app(app)
    app.config.update(config)
    return app
