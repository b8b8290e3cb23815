# expect: fail
# hint: The key merged two requests the view tells apart
# why: reads parameter names without case: ?Page=2 is not page 2 for the view
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
    args = {k.lower(): v for k, v in request.args.items()}
    page = int(args["page"]) if args.get("page", "").isdigit() else 1
    page = page if 1 <= page <= 50 else 1
    sort = args.get("sort") if args.get("sort") in ("name", "price") else "name"
    return f"{request.path}?page={page}&sort={sort}"
