# expect: fail
# hint: with a str
# why: converts the int back to a str before the call
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<int:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(str(user_id)))
