# expect: fail
# hint: `GET /api/products` then `GET /api/products?category=`: the second was served the first's body
# why: @cached keys on the path only, so ?category= is served the unfiltered listing
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60)
    def list_products():
        return listing()
