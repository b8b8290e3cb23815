# expect: pass
# why: the user id in make_cache_key and no cache for logged-out visitors
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, make_cache_key=lambda: f"{request.path}:{session['user_id']}",
                  unless=lambda: session.get("user_id") is None)
    def me():
        return current_profile()
