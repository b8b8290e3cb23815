# expect: fail
# hint: `GET /api/products` then `GET /api/sale`: the second was served the first's body
# why: no request.path: /api/sale is served /api/products' prices
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 1, type=int)
    return f"page={page}&category={request.args.get('category')!r}"
