# expect: fail
# hint: then `browser A GET /api/me?x=1`: every answer was right, but your version did the work 2 time(s)
# why: query_string=True makes ?x=1 (ignored by the view) a new entry
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, query_string=True,
                  key_prefix=lambda: f"me:{session.get('user_id')}")
    def me():
        return current_profile()
