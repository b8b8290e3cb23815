# expect: fail
# hint: every answer was right, but your version did the work 2 time(s) where the worked solution did it 1
# why: request.full_path keys on junk parameters and order, so equal listings run the query again
# ruff: noqa: F821
def listing_key():
    return request.full_path
