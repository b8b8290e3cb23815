# expect: fail
# hint: the second ran the query again, where the worked solution answered it from the cache
# why: every parameter in the key, so a junk parameter makes a new entry
# ruff: noqa: F821
def listing_key():
    return request.path + str(sorted(request.args.items()))
