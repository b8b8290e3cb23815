# expect: fail
# hint: the last ran the query again, where the worked solution answered it from the cache
# why: no cache: every request runs the query
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    def me():
        return current_profile()
