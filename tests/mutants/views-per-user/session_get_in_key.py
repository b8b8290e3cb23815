# expect: pass
# why: session.get gives logged-out visitors their own key, whose 401 body is right for every one of them
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
    def me():
        return current_profile()
