# expect: pass
# why: 2xx and 3xx are exactly the statuses below 400 Flask produces
# ruff: noqa: F821
def cacheable(rv):
    return current_app.make_response(rv).status_code // 100 in (2, 3)
