# expect: fail
# hint: then `browser B GET /api/me`: the third was served the second's body. The key does not tell a logged-out visitor apart
# why: session.get('user_id', 1) serves user 1's cached profile to logged-out visitors
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id', 1)}")
    def me():
        return current_profile()
