# expect: fail
# hint: `GET /api/products?category=BOOKS`: the second was served the first's body
# why: lower-cased values merge ?category=books and ?category=BOOKS, which the view filters differently
# ruff: noqa: F821
def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60,
                  key_prefix=lambda: request.path + str(sorted(
                      (k, v.lower()) for k, v in request.args.items())))
    def list_products():
        return listing()
