# expect: fail
# hint: `GET /products?sort=price` then `GET /products?sort=Price`: the second was served the first's body
# why: lowercases sort, which the view does not: ?sort=Price is served the price-sorted page
from flask import request


def read_listing_args():
    """How both views read their parameters (given)."""
    page = request.args.get("page", 1, type=int)
    sort = request.args.get("sort", "name")
    if page < 1 or page > 50:
        page = 1
    if sort not in ("name", "price"):
        sort = "name"
    return page, sort


def catalogue_key(*args, **kwargs):
    page = request.args.get("page", 1, type=int)
    sort = request.args.get("sort", "name").lower()
    page = page if 1 <= page <= 50 else 1
    sort = sort if sort in ("name", "price") else "name"
    return f"{request.path}?page={page}&sort={sort}"
