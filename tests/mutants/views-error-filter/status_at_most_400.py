# expect: fail
# hint: `GET /bad` then `GET /bad`: the second was served the first's body
# why: <= 400 caches a 400 Bad Request
# ruff: noqa: F821
def cacheable(rv):
    return current_app.make_response(rv).status_code <= 400
