# expect: fail
# hint: that error was cached
# why: reads the status of Response objects only: tuple errors are cached
# ruff: noqa: F821
def cacheable(rv):
    if hasattr(rv, "status_code"):
        return rv.status_code < 400
    return True
