# expect: fail
# hint: no ETag
# why: Cache-Control only: the browser cannot revalidate
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
