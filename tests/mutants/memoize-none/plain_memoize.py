# expect: fail
# hint: does not cache a None result
# why: memoize does not cache None, so an unknown email is queried every time
# ruff: noqa: F821
def make_find_user(cache):
    @cache.memoize(timeout=60)
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    return find_user
