# expect: fail
# hint: marked public
# why: no endpoint test: the per-user account page goes out public
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        response.cache_control.public = True
        response.cache_control.max_age = 300
        response.add_etag()
        response.make_conditional(request)
        return response
