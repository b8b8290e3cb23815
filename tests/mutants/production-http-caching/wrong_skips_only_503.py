# expect: fail
# hint: Add the caching headers to 200 responses only
# why: skips only the 503 an outage gives: a 500 from the same view goes out public for five minutes
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code != 503:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            response.make_conditional(request)
        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
