# expect: fail
# hint: should return a string
# why: returns a tuple, not a string
# ruff: noqa: F821
def listing_key():
    return (request.path, request.args.get("page"), request.args.get("category"))
