# expect: fail
# hint: does not cache in the Cache it was given
# why: lru_cache lives in the process, not in the Cache the factory receives
# ruff: noqa: F821
import functools

def make_find_user(cache):
    @functools.lru_cache
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    return find_user
