# expect: pass
# why: cache.get/cache.set by hand, with False standing for 'nobody'
# ruff: noqa: F821
def make_find_user(cache):
    def find_user(email):
        key = f"find_user:{email}"
        found = cache.get(key)
        if found is None:
            user = User.query.filter_by(email=email).first()
            found = user.to_dict() if user else False
            cache.set(key, found, timeout=60)
        return found or None

    return find_user
