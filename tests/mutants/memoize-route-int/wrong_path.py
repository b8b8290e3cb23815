# expect: fail
# hint: 404 Not Found
# why: the rule says /user/, not /users/
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/user/<int:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(user_id))
