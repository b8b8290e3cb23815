# expect: fail
# hint: The view filters on the exact text of `category`
# why: lower() merges 'books' and 'Books', which the view filters differently
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 1, type=int)
    category = request.args.get("category")
    category = category.lower() if category is not None else None
    return f"view/{request.path}?page={page}&category={category!r}"
