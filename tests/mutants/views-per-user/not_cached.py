# expect: fail
# hint: `browser A GET /api/me` then `browser A GET /api/me`: every answer was right, but your version did the work 2 time(s) where the worked solution did it 1
# why: no cache: every request runs the query
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    def me():
        return current_profile()
