# expect: fail
# hint: rename user
# why: the name is not unique and changes on a rename
# ruff: noqa: F821
def make_report_class(cache):
    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id
            self.name = db.session.get(User, user_id).name
        def __caching_id__(self):
            return self.name

        @cache.memoize(timeout=300)
        def stats(self):
            user_id = self.user_id
            return {
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }

    return UserReport
