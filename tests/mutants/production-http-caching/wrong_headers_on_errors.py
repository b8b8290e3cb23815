# expect: fail
# hint: Add the caching headers to 200 responses only
# why: no status test: a 503 goes out public for five minutes
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue":
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            response.make_conditional(request)

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
