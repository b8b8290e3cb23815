# expect: fail
# hint: the last was served the body of step 2
# why: the key reads ?user=, which browsers never send: all users share one entry
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, key_prefix=lambda: "me:" + request.args.get("user", ""))
    def me():
        return current_profile()
