# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT=0 (no expiry)
# why: int(... or 300) turns 0 into 300 and a timedelta into an error
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    app.config['CACHE_DEFAULT_TIMEOUT'] = int(config.get('CACHE_DEFAULT_TIMEOUT') or 300)
    cache.init_app(app)
    return app
