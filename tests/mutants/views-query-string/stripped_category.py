# expect: fail
# hint: `GET /api/products?category=books+`: the second was served the first's body
# why: strip() merges 'books ' with 'books', which the view filters differently
# ruff: noqa: F821
def register_listing(app, cache):
    def key():
        page = request.args.get("page", 1, type=int)
        category = request.args.get("category")
        return f"{request.path}?page={page}&c={category.strip() if category is not None else None!r}"

    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=key)
    def list_products():
        return listing()
