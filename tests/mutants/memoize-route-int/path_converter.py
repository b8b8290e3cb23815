# expect: fail
# hint: with a str
# why: <path:...> passes a str too
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<path:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(user_id))
