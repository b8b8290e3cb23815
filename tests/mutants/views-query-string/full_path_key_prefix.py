# expect: fail
# hint: The same parameters in another order should give the same key
# why: request.full_path keeps the request order, so the same parameters reordered run the query again
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60, key_prefix=lambda: request.full_path)
    def list_products():
        return listing()
