# expect: fail
# hint: return current_profile()
# why: returns the user id instead of the profile
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
    def me():
        return {"user": session.get("user_id")}
