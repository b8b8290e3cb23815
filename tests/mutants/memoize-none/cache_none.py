# expect: pass
# why: cache_none=True caches the None result itself
# ruff: noqa: F821
def make_find_user(cache):
    @cache.memoize(timeout=60, cache_none=True)
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    return find_user
