# expect: fail
# hint: with a str
# why: <string:...> passes a str, so the int delete misses the entry
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<string:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify(user_stats(user_id))
