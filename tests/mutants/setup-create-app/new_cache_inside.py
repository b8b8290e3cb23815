# expect: fail
# hint: you made a new Cache()
# why: new Cache inside
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    Cache(app)
    return app
