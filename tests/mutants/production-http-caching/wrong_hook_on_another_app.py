# expect: fail
# hint: public, max-age=300
# why: registers the hook on a new Flask app, not on the app it was given
from flask import Flask


def add_http_caching(app):
    other = Flask("other")
    other.after_request(lambda r: r)
