# expect: fail
# hint: JSON string
# why: stores a JSON string where the view stores a dict: the hit answers a different body
import click
from flask import Flask, current_app
from flask_caching import Cache

from support.backends import simple_config

cache = Cache()


@cache.cached(timeout=300)
def product(pid):
    return {"pid": pid, "price": current_app.extensions["prices"].price(pid)}


def create_shop(store, config=None):
    app = Flask(__name__)
    app.config.update(config or simple_config())
    cache.init_app(app)
    app.extensions["prices"] = store
    app.add_url_rule("/products/<int:pid>", view_func=product)

    @app.post("/products/<int:pid>/price/<int:cents>")
    def set_price(pid, cents):
        store.set(pid, cents)
        cache.delete(f"view//products/{pid}")
        return {"pid": pid, "price": cents}

    return app


def add_warm_command(app):
    import json

    @app.cli.command("warm")
    @click.argument("ids", nargs=-1, type=int)
    def warm(ids):
        for pid in ids:
            cache.set(f"view//products/{pid}", json.dumps(product.uncached(pid)), timeout=300)
