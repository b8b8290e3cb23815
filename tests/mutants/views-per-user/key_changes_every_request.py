# expect: fail
# hint: the cache failed
# why: a counter in the key makes every request a miss (and crashes when logged out)
# ruff: noqa: F821
import itertools
counter = itertools.count()

def register_me(app, cache):
    @app.route("/api/me")
    @cache.cached(timeout=60,
                  key_prefix=lambda: f"me:{session['user_id']}:{next(counter)}")
    def me():
        return current_profile()
