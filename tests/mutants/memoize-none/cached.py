# expect: fail
# hint: the key ignores the email
# why: @cache.cached keys on a fixed prefix, so every email gets the first answer
# ruff: noqa: F821
def make_find_user(cache):
    @cache.cached(timeout=60, key_prefix='find_user')
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    return find_user
