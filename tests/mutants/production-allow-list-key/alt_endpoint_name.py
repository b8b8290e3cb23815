# expect: pass
# why: the endpoint name tells the two views apart as well as request.path does
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
    return f"listing:{request.endpoint}:{page}:{sort}"
