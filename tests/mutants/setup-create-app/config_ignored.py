# expect: fail
# hint: ignored the config
# why: sets CACHE_TYPE by hand and never looks at the config it was given
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config['CACHE_TYPE'] = 'SimpleCache'
    cache.init_app(app)
    return app
