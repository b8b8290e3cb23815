# expect: fail
# hint: not cached
# why: no decorator: every call runs the queries
# ruff: noqa: F821
def make_report_class(cache):
    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id
        def __caching_id__(self):
            return f'user:{self.user_id}'


        def stats(self):
            user_id = self.user_id
            return {
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }

    return UserReport
