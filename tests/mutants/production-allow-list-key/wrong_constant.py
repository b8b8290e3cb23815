# expect: fail
# hint: page 2 was answered with another page's body
# why: the same key for every request: page 2 is served page 1's body
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
    return "catalogue:" + request.method
