# expect: fail
# hint: fixed order
# why: keeps page and sort in the order of the URL: ?sort=price&page=2 and ?page=2&sort=price differ
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
    pairs = [(k, v) for k, v in request.args.items() if k in ("page", "sort")]
    return request.path + str(pairs)
