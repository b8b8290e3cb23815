# expect: pass
# why: defaults first, config wins
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(CACHE_TYPE='SimpleCache')
    app.config.update(config)
    cache.init_app(app)
    return app
