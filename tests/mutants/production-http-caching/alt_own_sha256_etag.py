# expect: pass
# why: a sha256 of the body as its own ETag, compared by Werkzeug's make_conditional
from flask import request


def add_http_caching(app):
    @app.after_request
    def http_caching(response):
        import hashlib

        if request.endpoint == "catalogue" and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=300"
            response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
            response.make_conditional(request)

        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response
