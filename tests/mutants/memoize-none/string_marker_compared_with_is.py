# expect: fail
# hint: callers expect None
# why: the cached copy of the marker is another str object, so `is` fails
# ruff: noqa: F821
NOT_FOUND = 'not-found'

def make_find_user(cache):
    @cache.memoize(timeout=60)
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else NOT_FOUND

    lookup = find_user
    def find_user(email):
        found = lookup(email)
        return None if found is NOT_FOUND else found

    return find_user
