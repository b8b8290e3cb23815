# expect: fail
# hint: did not store the key
# why: ignores the ids and warms products 1 to 3
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
    @app.cli.command("warm")
    @click.argument("ids", nargs=-1, type=int)
    def warm(ids):
        client = app.test_client()
        for pid in range(1, 4):
            client.get(f"/products/{pid}")
