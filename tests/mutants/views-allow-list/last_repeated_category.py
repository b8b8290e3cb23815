# expect: fail
# hint: `GET /api/products?category=books` then `GET /api/products?category=toys&category=books`: the second was served the first's body
# why: the view filters on the first of repeated categories, the key on the last
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 1, type=int)
    categories = request.args.getlist("category")
    category = categories[-1] if categories else None
    return f"view/{request.path}?page={page}&category={category!r}"
