# expect: fail
# hint: The shortest generated config that shows it
# why: skips settings whose value is None, so the config's DEBUG=None never reaches the app
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update({k: v for k, v in config.items() if v is not None})
    cache.init_app(app)
    return app
