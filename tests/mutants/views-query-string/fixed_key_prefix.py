# expect: fail
# hint: `GET /api/products` then `GET /api/products?category=`: the second was served the first's body
# why: a constant key_prefix is one entry for every query string
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60, key_prefix="products")
    def list_products():
        return listing()
