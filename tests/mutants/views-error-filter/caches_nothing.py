# expect: fail
# hint: `GET /dict` then `GET /dict`: every answer was right, but your version did the work 2 time(s)
# why: no response is cached
# ruff: noqa: F821
def cacheable(rv):
    return rv is None
