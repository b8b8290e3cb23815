# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT=0 (no expiry)
# why: `or 300` turns CACHE_DEFAULT_TIMEOUT=0 (no expiry) into 300
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    app = Flask(__name__)
    app.config.update(config)
    app.config['CACHE_DEFAULT_TIMEOUT'] = config.get('CACHE_DEFAULT_TIMEOUT') or 300
    cache.init_app(app)
    return app
