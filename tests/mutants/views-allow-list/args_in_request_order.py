# expect: fail
# hint: every answer was right, but your version did the work 2 time(s) where the worked solution did it 1
# why: raw values in request order: the same request reordered (or ?page=01) runs the query again
# ruff: noqa: F821
def listing_key():
    wanted = [f"{k}={v}" for k, v in request.args.items() if k in ("page", "category")]
    return request.path + "?" + "&".join(wanted)
