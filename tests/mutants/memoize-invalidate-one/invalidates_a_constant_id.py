# expect: fail
# hint: delete exactly the renamed user's entry
# why: always deletes user 1's entry, whoever is renamed
# ruff: noqa: F821
def make_stats(cache):
    @cache.memoize(timeout=600)
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
        cache.delete_memoized(user_stats, 1)

    return user_stats, update_user_name
