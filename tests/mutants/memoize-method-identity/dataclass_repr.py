# expect: pass
# why: a dataclass's repr is UserReport(user_id=1), the same in every process
# ruff: noqa: F821
import dataclasses

def make_report_class(cache):
    @dataclasses.dataclass
    class UserReport:
        user_id: int

        @cache.memoize(timeout=300)
        def stats(self):
            user_id = self.user_id
            return {
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }

    return UserReport
