# expect: fail
# hint: must pass the URL's user id to user_stats
# why: serves user 1's statistics on every page
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<int:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(1))
