# expect: fail
# hint: values the view does not serve
# why: puts the raw values in the key: page=abc, page=999999 and sort=random each make a new entry
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
    page = request.args.get("page", "1")
    sort = request.args.get("sort", "name")
    return f"{request.path}?page={page}&sort={sort}"
