# expect: fail
# hint: browser A logs in as user 1 (ada), browser A `GET /api/me` then browser B `GET /api/me`: the last was served the body of step 2
# why: the path-only key serves user 1's profile to everyone
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60)
    def me():
        return current_profile()
