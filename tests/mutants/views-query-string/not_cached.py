# expect: fail
# hint: nothing was cached
# why: no @cache.cached at all: every request runs the query
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    def list_products():
        return listing()
