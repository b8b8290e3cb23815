# expect: fail
# hint: raised KeyError
# why: takes the app from the config instead of building one
# ruff: noqa: F401
from flask import Flask
from flask_caching import Cache

cache = Cache()


def create_app(config):
    return config['APP']
