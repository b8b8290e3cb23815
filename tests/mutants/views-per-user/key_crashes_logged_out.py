# expect: fail
# hint: `browser A GET /api/me`: during the first, the cache failed (KeyError: 'user_id')
# why: session['user_id'] in the key raises KeyError before login
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, key_prefix=lambda: f"me:{session['user_id']}")
    def me():
        return current_profile()
