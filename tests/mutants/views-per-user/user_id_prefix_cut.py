# expect: fail
# hint: browser A logs in as user 11 (kai) then browser A `GET /api/me`: the last was served the body of step 2
# why: the key is cut to three characters, so users 1 and 11 share an entry
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60,
                  key_prefix=lambda: f"me{session.get('user_id', '')}"[:3])
    def me():
        return current_profile()
