# expect: pass
# why: parses page and sort itself exactly as the view does, joined with '|'
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
    if not 1 <= page <= 50:
        page = 1
    sort = request.args.get("sort", "name")
    if sort not in ("name", "price"):
        sort = "name"
    return "|".join(["listing", request.path, str(page), sort])
