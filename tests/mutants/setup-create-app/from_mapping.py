# expect: pass
# why: app.config.from_mapping copies the config just as update does
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.from_mapping(config)
    cache.init_app(app)
    return app
