# expect: fail
# hint: `browser B logs in as user 11 (kai)` then `browser B GET /api/me`: the fourth was served the second's body
# why: the key is cut to three characters, so users 1 and 11 share an entry
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60,
                  key_prefix=lambda: f"me{session.get('user_id', '')}"[:3])
    def me():
        return current_profile()
