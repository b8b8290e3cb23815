# expect: fail
# hint: Extra directives change the meaning
# why: an extra no-cache directive changes the meaning (ask the server every time)
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.cache_control.no_cache = True
            response.add_etag()
            response.make_conditional(request)

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
