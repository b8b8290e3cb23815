# expect: pass
# why: a key made of the full path with its query string distinguishes every page too
# ruff: noqa: F821
from flask import request


def register_listing(app, cache):
    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=lambda *a, **k: "listing:" + request.full_path)
    def list_products():
        return listing()
