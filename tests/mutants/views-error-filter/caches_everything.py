# expect: fail
# hint: `GET /missing` then `GET /missing`: the second was served the first's body
# why: an error response is cached and outlives its cause
# ruff: noqa: F821
def cacheable(rv):
    return rv is not None
