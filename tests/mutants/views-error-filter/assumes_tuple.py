# expect: fail
# hint: when the view returned a dict
# why: rv[1] fails when the view returns a dict
# ruff: noqa: F821
def cacheable(rv):
    return rv[1] < 400
