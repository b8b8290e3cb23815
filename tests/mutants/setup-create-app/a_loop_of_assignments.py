# expect: pass
# why: copies every setting one by one: the same as app.config.update(config)
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask('shop')
    for key, value in config.items():
        app.config[key] = value
    cache.init_app(app)
    return app
