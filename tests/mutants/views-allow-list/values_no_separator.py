# expect: fail
# hint: the second was served the first's body
# why: no separator: ?page=11 and ?page=1&category=1 give the same key
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 1, type=int)
    return f"{request.path}{page}{request.args.get('category', '')}"
