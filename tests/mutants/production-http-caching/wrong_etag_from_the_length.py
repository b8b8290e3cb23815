# expect: fail
# hint: the catalogue changes to ['Blue Kettle', 'Quiet Lamp', 'Rapid Notepads']
# why: an ETag from the body's length: a change of the same length keeps the old ETag
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.set_etag(str(len(response.get_data())))
            response.make_conditional(request)

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
