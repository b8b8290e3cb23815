# expect: fail
# hint: not cached
# why: no decorator: every call queries
# ruff: noqa: F821
def make_find_user(cache):

    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    return find_user
