# expect: fail
# hint: app.config does not hold the settings
# why: the settings reach the cache but never app.config, where the rest of the app reads them
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    cache.init_app(app, config=config)
    return app
