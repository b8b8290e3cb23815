# expect: fail
# hint: you made a new Cache()
# why: attaches a new Cache(), not the notebook's cache that the views are decorated with
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    Cache(app)
    return app
