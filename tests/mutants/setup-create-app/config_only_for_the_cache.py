# expect: fail
# hint: app.config does not hold the settings
# why: config only for the cache
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    cache.init_app(app, config=config)
    return app
