# expect: fail
# hint: the second was served the first's body
# why: the key has the page only, so every category shares page 1's entry
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60,
                  make_cache_key=lambda: "p" + request.args.get("page", "1"))
    def list_products():
        return listing()
