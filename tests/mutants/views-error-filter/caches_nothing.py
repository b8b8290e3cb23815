# expect: fail
# hint: `GET /dict` then `GET /dict`: the second called the view again
# why: no response is cached
# ruff: noqa: F821
def cacheable(rv):
    return rv is None
