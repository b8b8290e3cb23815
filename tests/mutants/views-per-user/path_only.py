# expect: fail
# hint: `browser A logs in as user 1 (ada)` then `browser A GET /api/me` then `browser B GET /api/me`: the third was served the second's body
# why: the path-only key serves user 1's profile to everyone
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60)
    def me():
        return current_profile()
