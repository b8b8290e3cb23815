# expect: fail
# hint: another order
# why: the raw full path is a correct key but wastes work: ?page=1&x=1 and ?x=1&page=1 (the same page) get two entries and run the query twice
# ruff: noqa: F821
from flask import request


def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=lambda *a, **k: "listing:" + request.full_path)
    def list_products():
        return listing()
