# expect: fail
# hint: answered (404
# why: a rule for one user only
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route("/users/1/stats")
    def user_stats_view():
        return jsonify(user_stats(1))
