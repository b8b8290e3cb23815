# expect: fail
# hint: `browser A GET /api/me` then `browser A GET /api/me`: every answer was right, but your version did the work 2 time(s)
# why: unless= bypasses the cache for exactly the users it should serve
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, unless=lambda: "user_id" in session)
    def me():
        return current_profile()
