# expect: pass
# why: flask.make_response builds the same Response inside the request
# ruff: noqa: F821
from flask import make_response

def cacheable(rv):
    return make_response(rv).status_code < 400
