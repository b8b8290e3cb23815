# expect: fail
# hint: memoized with another Cache object
# why: memoized with a Cache of its own instead of the factory's argument
# ruff: noqa: F821
NOTEBOOK_CACHE = Cache()

def make_report_class(cache):
    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id
        def __caching_id__(self):
            return f'user:{self.user_id}'

        @NOTEBOOK_CACHE.memoize(timeout=300)
        def stats(self):
            user_id = self.user_id
            return {
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }

    return UserReport
