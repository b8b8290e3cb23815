# expect: pass
# why: a presence flag tells an absent category from any value
# ruff: noqa: F821
def listing_key():
    page = request.args.get("page", 1, type=int)
    if "category" in request.args:
        return f"{request.path}|{page}|c:{request.args['category']}"
    return f"{request.path}|{page}|all"
