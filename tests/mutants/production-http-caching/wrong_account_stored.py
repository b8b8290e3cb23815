# expect: fail
# hint: no-store
# why: leaves the account page without no-store
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            response.make_conditional(request)
        return response
