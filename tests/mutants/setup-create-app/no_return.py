# expect: fail
# hint: returned None
# why: forgets `return app`, so create_app returns None
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    cache.init_app(app)
