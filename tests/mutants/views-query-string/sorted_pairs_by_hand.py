# expect: pass
# why: the sorted query pairs by hand, as query_string=True does
# ruff: noqa: F821
from urllib.parse import urlencode

def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=lambda: request.path + "?" + urlencode(
        sorted(request.args.items(multi=True))))
    def list_products():
        return listing()
