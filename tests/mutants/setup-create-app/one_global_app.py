# expect: fail
# hint: same app
# why: one global app
from flask import Flask
from flask_caching import Cache

cache = Cache()


APP = Flask('one')
def create_app(config):
    APP.config.update(config)
    cache.init_app(APP)
    return APP
