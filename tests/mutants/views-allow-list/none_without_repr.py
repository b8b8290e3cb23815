# expect: fail
# hint: `GET /api/products` then `GET /api/products?category=None`: the second was served the first's body
# why: without repr an absent category and ?category=None give the same text
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 1, type=int)
    return f"view/{request.path}?page={page}&category={request.args.get('category')}"
