# expect: fail
# hint: the ETag must change when the body changes
# why: a constant ETag: browsers keep getting 304 for a catalogue that has changed
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.set_etag("v1")
            response.make_conditional(request)

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
