# expect: pass
# why: a default first, then the config over it: the config still wins
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(CACHE_TYPE='SimpleCache')
    app.config.update(config)
    cache.init_app(app)
    return app
