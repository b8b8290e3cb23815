# expect: fail
# hint: the third was served the second's body
# why: the key reads ?user=, which browsers never send: all users share one entry
# ruff: noqa: F821
def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60, key_prefix=lambda: "me:" + request.args.get("user", ""))
    def me():
        return current_profile()
