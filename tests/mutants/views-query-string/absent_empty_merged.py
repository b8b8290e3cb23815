# expect: fail
# hint: `GET /api/products` then `GET /api/products?category=`: the second was served the first's body
# why: get('category', '') writes an absent and an empty category the same way
# ruff: noqa: F821
def register_listing(app, cache):
    def key():
        page = request.args.get("page", 1, type=int)
        return f"{request.path}?page={page}&category={request.args.get('category', '')}"

    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=key)
    def list_products():
        return listing()
