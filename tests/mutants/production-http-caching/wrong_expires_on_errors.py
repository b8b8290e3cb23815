# expect: fail
# hint: Add the caching headers to 200 responses only
# why: an Expires header for old proxies on every catalogue response: a 503 is kept for five minutes
import time

from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue":
            response.expires = time.time() + 300  # for HTTP/1.0 proxies
            if response.status_code == 200:
                response.cache_control.public = True
                response.cache_control.max_age = 300
                response.add_etag()
                response.make_conditional(request)
        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
