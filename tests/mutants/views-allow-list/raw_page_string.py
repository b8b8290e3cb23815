# expect: fail
# hint: The view parses `page` as a number
# why: the raw page text: ?page=01 and ?page=1 (the same page) get two entries
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", "1")
    return f"view/{request.path}?page={page}&category={request.args.get('category')!r}"
