# expect: pass
# why: query_string=True with a key_prefix is still keyed on the query string
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60, query_string=True, key_prefix="listing/%s")
    def list_products():
        return listing()
