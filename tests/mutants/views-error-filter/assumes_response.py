# expect: fail
# hint: `GET /dict`: the first raised AttributeError
# why: rv.status_code fails when the view returns a dict
# ruff: noqa: F821
def cacheable(rv):
    return rv.status_code < 400
