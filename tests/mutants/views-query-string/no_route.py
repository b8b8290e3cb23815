# expect: fail
# hint: did not add a route for /api/products
# why: the view is cached but never registered with @app.route
# ruff: noqa: F821
def register_listing(app, cache):
    @cache.cached(timeout=60, query_string=True)
    def list_products():
        return listing()
