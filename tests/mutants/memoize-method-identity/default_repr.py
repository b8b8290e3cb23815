# expect: fail
# hint: still its memory address
# why: the default repr holds the memory address, so each instance has its own key
# ruff: noqa: F821
def make_report_class(cache):
    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id

        @cache.memoize(timeout=300)
        def stats(self):
            user_id = self.user_id
            return {
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }

    return UserReport
