# expect: fail
# hint: nothing was cached
# why: @cached above @app.route caches nothing: Flask registered the uncached function
# ruff: noqa: F821
def register_listing(app, cache):
    @cache.cached(timeout=60, query_string=True)
    @app.route("/api/products")
    def list_products():
        return listing()
