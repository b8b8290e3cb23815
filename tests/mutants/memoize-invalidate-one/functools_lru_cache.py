# expect: fail
# hint: does not cache in the Cache it was given
# why: lru_cache lives in the process, not in the Cache the factory receives
# ruff: noqa: F821
import functools

def make_stats(cache):
    @functools.lru_cache
    def user_stats(user_id):
        return {
            "name": db.session.get(User, user_id).name,
            "post_count": Post.query.filter_by(user_id=user_id).count(),
            "comment_count": Comment.query.filter_by(user_id=user_id).count(),
            "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
        }

    def update_user_name(user_id, name):
        db.session.get(User, user_id).name = name
        db.session.commit()
        user_stats.cache_clear()

    return user_stats, update_user_name
