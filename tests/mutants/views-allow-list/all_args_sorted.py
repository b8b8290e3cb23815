# expect: fail
# hint: every answer was right, but your version did the work 2 time(s) where the worked solution did it 1
# why: every parameter in the key, so a junk parameter makes a new entry
# ruff: noqa: F821
def listing_key():
    return request.path + str(sorted(request.args.items()))
