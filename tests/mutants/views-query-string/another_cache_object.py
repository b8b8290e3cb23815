# expect: fail
# hint: not another Cache object
# why: decorated with a Cache that was never initialised on this app
# ruff: noqa: F821
other_cache = Cache()

def register_listing(app, cache):
    @app.route("/api/products")
    @other_cache.cached(timeout=60, query_string=True)
    def list_products():
        return listing()
