# expect: fail
# hint: same app
# why: one module-level app reused by every call: not a factory
from flask import Flask
from flask_caching import Cache

cache = Cache()


APP = Flask('one')
def create_app(config):
    APP.config.update(config)
    cache.init_app(APP)
    return APP
