# expect: fail
# hint: your policy reaches every other page
# why: every page but the account becomes public, the about page included
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            response.make_conditional(request)

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        else:
            response.cache_control.public = True
            response.cache_control.max_age = 300
        return response
