# expect: fail
# hint: tracking parameters
# why: drops only utm_ parameters: fbclid, gclid, ref and cache busters still make new keys
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
    pairs = sorted((k, v) for k, v in request.args.items() if not k.startswith("utm_"))
    return request.path + str(pairs)
