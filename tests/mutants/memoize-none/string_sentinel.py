# expect: pass
# why: a string marker compared with == survives pickling
# ruff: noqa: F821
def make_find_user(cache):
    @cache.memoize(timeout=60)
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else 'not-found'

    lookup = find_user
    def find_user(email):
        found = lookup(email)
        return None if found == "not-found" else found

    return find_user
