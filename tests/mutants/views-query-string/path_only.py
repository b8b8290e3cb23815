# expect: fail
# hint: query string
# why: @cached keys on the path only, so ?page=2 is served page 1's body
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60)
    def list_products():
        return listing()
