# expect: fail
# hint: must contain sort too
# why: leaves sort out of the key: ?sort=price is served the name-sorted page
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
    page, sort = read_listing_args()
    return f"{request.path}?page={page}"
