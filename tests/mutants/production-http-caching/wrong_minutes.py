# expect: fail
# hint: public, max-age=300
# why: max-age=5 instead of the 300 seconds asked for
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 5
            response.add_etag()
            response.make_conditional(request)

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
