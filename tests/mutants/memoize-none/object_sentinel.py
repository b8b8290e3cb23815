# expect: fail
# hint: bare object() sentinel
# why: an object() marker comes back as a pickled copy, so `is` never matches
# ruff: noqa: F821
def make_find_user(cache):
    @cache.memoize(timeout=60)
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else MISSING

    MISSING = object()
    lookup = find_user
    def find_user(email):
        found = lookup(email)
        return None if found is MISSING else found

    return find_user
