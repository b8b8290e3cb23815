# expect: fail
# hint: init_app ran before the config
# why: init before config
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    cache.init_app(app)
    app.config.update(config)
    return app
