# expect: fail
# hint: `GET /api/products` then `GET /api/products?category=`: the second was served the first's body
# why: page only: the filtered listing is served the unfiltered one
# ruff: noqa: F821
def listing_key():
    return f"{request.path}?page={request.args.get('page', 1, type=int)}"
