# expect: fail
# hint: old ETag
# why: answers 304 to any If-None-Match, even an old ETag
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            if "If-None-Match" in request.headers:
                response.status_code = 304
                response.set_data(b"")

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
