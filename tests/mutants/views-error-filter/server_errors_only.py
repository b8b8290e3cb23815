# expect: fail
# hint: that error was cached
# why: only 5xx rejected: a 404 is cached
# ruff: noqa: F821
def cacheable(rv):
    return current_app.make_response(rv).status_code < 500
