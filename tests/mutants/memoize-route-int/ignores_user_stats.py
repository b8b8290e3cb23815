# expect: fail
# hint: never called user_stats
# why: computes its own statistics instead of calling user_stats
# ruff: noqa: F821
def add_stats_route(app, user_stats):
    @app.route('/users/<int:user_id>/stats')
    def user_stats_view(user_id):
        return jsonify({'post_count': Post.query.filter_by(user_id=user_id).count()})
