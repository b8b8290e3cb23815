# expect: fail
# hint: during the first, the cache failed (ValueError
# why: int() on ?page=abc raises, where the view falls back to page 1
# ruff: noqa: F821
def listing_key():
    page = int(request.args.get("page", 1))
    return f"view/{request.path}?page={page}&category={request.args.get('category')!r}"
