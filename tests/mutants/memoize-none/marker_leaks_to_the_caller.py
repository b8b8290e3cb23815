# expect: fail
# hint: callers expect None
# why: returns the marker string instead of None
# ruff: noqa: F821
def make_find_user(cache):
    @cache.memoize(timeout=60)
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else 'not-found'

    return find_user
