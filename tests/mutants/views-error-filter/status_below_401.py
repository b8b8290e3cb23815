# expect: fail
# hint: a tuple ({...}, 400)
# why: < 401 still caches a 400 Bad Request, which outlives its cause
# ruff: noqa: F821
def cacheable(rv):
    return current_app.make_response(rv).status_code < 401
