# expect: fail
# hint: does not cache in the Cache it was given
# why: remembers misses in a process-local set, forever and outside the cache
# ruff: noqa: F821
def make_find_user(cache):
    missing = set()

    @cache.memoize(timeout=60)
    def lookup(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    def find_user(email):
        if email in missing:
            return None
        found = lookup(email)
        if found is None:
            missing.add(email)
        return found

    return find_user
