# expect: fail
# hint: computed the statistics again
# why: user_stats.uncached skips the cache
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<int:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats.uncached(user_id))
