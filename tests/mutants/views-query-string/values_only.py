# expect: fail
# hint: the second was served the first's body
# why: values without names: ?page=2 and ?category=2 share a key
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60, key_prefix=lambda: request.path + "".join(
        sorted(request.args.values())))
    def list_products():
        return listing()
