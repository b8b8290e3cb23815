# expect: pass
# why: the method calls a memoized function of the user id, so the key never holds the instance
# ruff: noqa: F821
def make_report_class(cache):
    @cache.memoize(timeout=300)
    def stats_for(user_id):
        return {
            "post_count": Post.query.filter_by(user_id=user_id).count(),
            "comment_count": Comment.query.filter_by(user_id=user_id).count(),
            "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
        }

    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id

        def stats(self):
            return stats_for(self.user_id)

    return UserReport
