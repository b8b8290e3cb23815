# expect: fail
# hint: 404 Not Found
# why: <float:...> does not match /users/1/stats
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<float:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(user_id))
