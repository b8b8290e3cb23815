# expect: fail
# hint: The view parses `page` as a number
# why: an absent page keyed as 0 while the view serves page 1: ?page=1 runs the query again
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 0, type=int)
    return f"view/{request.path}?page={page}&category={request.args.get('category')!r}"
