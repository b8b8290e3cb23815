# expect: fail
# hint: not another Cache object
# why: decorated with the playground app's cache, not the cache the function receives
# ruff: noqa: F821
playground_app, playground_cache = create_app()

def register_listing(app, cache):
    @app.route("/api/products")
    @playground_cache.cached(timeout=60, query_string=True)
    def list_products():
        return listing()
