# expect: fail
# hint: still its memory address
# why: the user id plus id(self) still differs per instance
# ruff: noqa: F821
def make_report_class(cache):
    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id
        def __caching_id__(self):
            return f'user:{self.user_id}:{id(self)}'

        @cache.memoize(timeout=300)
        def stats(self):
            user_id = self.user_id
            return {
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }

    return UserReport
