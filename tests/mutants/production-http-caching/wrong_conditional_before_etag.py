# expect: fail
# hint: after response.add_etag()
# why: make_conditional before add_etag: there is no ETag yet to compare
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.make_conditional(request)
            response.add_etag()

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
