# expect: fail
# hint: memoized with another Cache object
# why: memoized with a Cache of its own instead of the factory's argument
# ruff: noqa: F821
NOTEBOOK_CACHE = Cache()

def make_find_user(cache):
    @NOTEBOOK_CACHE.memoize(timeout=60, cache_none=True)
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    return find_user
