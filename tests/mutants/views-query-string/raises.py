# expect: fail
# hint: raised RuntimeError: oops
# why: the function raises instead of registering a route
# ruff: noqa: F821
def register_listing(app, cache):
    raise RuntimeError("oops")
