# expect: fail
# hint: the second was served the first's result
# why: two spellings share one entry, so the second gets the first's answer
# ruff: noqa: F821
def make_find_user(cache):
    @cache.memoize(timeout=60, cache_none=True, args_to_ignore=["email"])
    def lookup(key, email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    def find_user(email):
        return lookup(email.strip().lower(), email)  # one entry per normalised address

    return find_user
