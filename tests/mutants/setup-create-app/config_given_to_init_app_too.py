# expect: pass
# why: the config in app.config and again to init_app: the same settings either way
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    cache.init_app(app, config=config)
    return app
