# expect: pass
# why: converts the str to an int before the call, so the key is the int's
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(int(user_id)))
