# expect: pass
# why: returns make_conditional's response; private, no-store for the account page
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            return response.make_conditional(request)

        if request.endpoint == "account":
            response.headers["Cache-Control"] = "private, no-store"
        return response
