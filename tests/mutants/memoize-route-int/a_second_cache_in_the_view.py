# expect: fail
# hint: something else keeps the old response
# why: a process-local cache in front of user_stats keeps the old answer after delete_memoized
# ruff: noqa: F821
import functools

def add_stats_route(app, user_stats):
    @functools.lru_cache
    def stats_of(user_id):
        return user_stats(user_id)

    @app.route("/users/<int:user_id>/stats")
    def user_stats_view(user_id):
        return jsonify(stats_of(user_id))
