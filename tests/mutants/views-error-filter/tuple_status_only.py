# expect: fail
# hint: the view returned abort(404), and that error was cached
# why: reads the status of tuples only: abort(404) and Response errors are cached
# ruff: noqa: F821
def cacheable(rv):
    if isinstance(rv, tuple):
        return rv[1] < 400
    return True
