# expect: fail
# hint: If-None-Match: *
# why: a substring test: If-None-Match: * (any version) is not understood
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            if response.headers["ETag"] in request.headers.get("If-None-Match", ""):
                response.status_code = 304

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
