# expect: fail
# hint: with a float
# why: user_stats(1.0) has another key than user_stats(1)
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<int:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(float(user_id)))
