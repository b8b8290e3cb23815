# expect: fail
# hint: `GET /products?page=3&page=2` then `GET /products?page=2`: the second was served the first's body
# why: reads the last value of a repeated parameter while the view reads the first
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
    pages = request.args.getlist("page", type=int) or [1]
    page = pages[-1] if 1 <= pages[-1] <= 50 else 1
    page2, sort = read_listing_args()
    return f"{request.path}?page={page}&sort={sort}"
