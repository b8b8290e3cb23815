# expect: fail
# hint: was not cached
# why: rejects every tuple, so a (body, 200, headers) success is never cached
# ruff: noqa: F821
def cacheable(rv):
    return not isinstance(rv, tuple)
