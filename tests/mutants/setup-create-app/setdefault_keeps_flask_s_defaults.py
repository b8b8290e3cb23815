# expect: fail
# hint: `setdefault` never overrides
# why: setdefault never overrides DEBUG, TESTING, SECRET_KEY that Flask already set
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    for key, value in config.items():
        app.config.setdefault(key, value)
    cache.init_app(app)
    return app
