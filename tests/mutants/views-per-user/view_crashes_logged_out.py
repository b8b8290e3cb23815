# expect: fail
# hint: `browser A GET /api/me`: the first raised KeyError: 'user_id'
# why: the view itself reads session['user_id'] and raises before login
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
    def me():
        return db.session.get(User, session["user_id"]).to_dict()
