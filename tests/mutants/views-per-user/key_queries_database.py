# expect: fail
# hint: did the work 2 time(s) where the worked solution did it 1
# why: the key itself runs a query on every request
# ruff: noqa: F821
def register_me(app, cache):
    def key():
        user = db.session.get(User, session["user_id"]) if "user_id" in session else None
        return f"me:{user.email if user else '-'}"

    @app.route("/api/me")
    @cache.cached(timeout=60, make_cache_key=key)
    def me():
        return current_profile()
