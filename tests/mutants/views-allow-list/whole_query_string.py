# expect: fail
# hint: the second ran the query again, where the worked solution answered it from the cache
# why: request.full_path keys on junk parameters and order, so equal listings run the query again
# ruff: noqa: F821
def listing_key():
    return request.full_path
