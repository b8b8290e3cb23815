# expect: fail
# hint: with a str
# why: without a converter user_id is a str, so delete_memoized(user_stats, 1) misses the entry
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(user_id))
