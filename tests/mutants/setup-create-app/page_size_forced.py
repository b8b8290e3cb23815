# expect: fail
# hint: create_app({'PAGE_SIZE'
# why: overrides the config's PAGE_SIZE with a value of its own
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    app.config['PAGE_SIZE'] = 20
    cache.init_app(app)
    return app
