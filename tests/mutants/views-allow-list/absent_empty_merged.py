# expect: fail
# hint: `GET /api/products` then `GET /api/products?category=`: the second was served the first's body
# why: get('category', '') writes an absent and an empty category the same way
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 1, type=int)
    category = request.args.get("category", "")
    return f"view/{request.path}?page={page}&category={category}"
