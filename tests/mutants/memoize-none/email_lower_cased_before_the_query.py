# expect: fail
# hint: the function itself changes the answer
# why: the lookup changes the email, so 'ADA@example.com' finds Ada
# ruff: noqa: F821
def make_find_user(cache):
    @cache.memoize(timeout=60, cache_none=True)
    def find_user(email):
        user = User.query.filter_by(email=email.lower()).first()
        return user.to_dict() if user else None

    return find_user
