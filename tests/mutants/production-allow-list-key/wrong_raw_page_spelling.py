# expect: fail
# hint: The key splits requests the view answers alike
# why: keeps the raw spelling of a valid page: ?page=02 and ?page=2 are one page for the view
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
    raw = request.args.get("page", "1")
    raw = raw if raw.strip().lstrip("+").isdigit() else "1"
    return f"{request.path}?page={raw if page != 1 else 1}&sort={sort}"
