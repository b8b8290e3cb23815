# expect: pass
# why: a key from page (parsed as the view parses it) and category (repr tells absent from empty)
# ruff: noqa: F821
def register_listing(app, cache):
    def key():
        page = request.args.get("page", 1, type=int)
        return f"{request.path}?page={page}&category={request.args.get('category')!r}"

    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=key)
    def list_products():
        return listing()
