# expect: pass
# why: add_url_rule registers the same rule, and a keyword argument builds the same key
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    def user_stats_view(user_id):
        return jsonify(user_stats(user_id=user_id))

    app.add_url_rule("/users/<int:user_id>/stats", view_func=user_stats_view)
