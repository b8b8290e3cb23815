"""Checkers for lesson 07 (caching in a real application).

Every exercise is judged by cache transparency (:mod:`support.checks.transparency`): the
learner's cached app and the same app without a cache play the same generated scenarios side by
side; every answer must equal the uncached answer, and the learner's work (reads of the store,
SQL statements) must stay within what the worked solution does.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Flask, request
from flask.views import MethodView
from flask_caching import Cache

from support.backends import simple_config
from support.checks.transparency import (ORDINALS, QuickBudget, Side, Step, Steps, flask_side,
                                         judge)
from support.data import count_queries, init_shop
from support.checks.plumbing import grading_app
from support.checks.core import Fail, Namespace, NotAttempted, exercise
from support.logs import capture_logs

#: Ids whose spellings share prefixes: an entry for 1 must not serve 10 or 11.
PIDS = (1, 2, 10, 11)
PREFIX = "/outlet"


def _quiet(app: Flask, play: Callable[[Step], Any]) -> Callable[[Step], Any]:
    """``play`` with Flask-Caching's and the app's error logs kept off stderr."""

    def quiet(step: Step) -> Any:
        with capture_logs("flask_caching", app.logger.name):
            return play(step)

    return quiet


@contextmanager
def _as_main_module(variables: Mapping[str, Any]) -> Iterator[None]:
    """Let pickle find the learner's classes (``Item``, a dataclass) by ``__main__.Name``.

    In a notebook the learner's namespace *is* ``__main__``; a grader or a test that runs the
    answer in a plain dict stands it in as ``__main__`` for the check, as the kernel would.
    """
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__dict__", None) is variables:
        yield
        return
    stand_in = types.ModuleType("__main__")
    stand_in.__dict__.update(variables)
    sys.modules["__main__"] = stand_in
    try:
        yield
    finally:
        if main is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = main


def _steps_of(message: str) -> list[str]:
    """The step labels of a transparency failure: `` `GET /a` then `POST /a`: ... ``."""
    head = message.split("`: ", 1)[0] + "`"
    return re.findall(r"`([^`]+)`", head)


def _kind(message: str) -> str:
    """What a transparency failure shows: ``raised``, ``work`` or ``answer``."""
    if "raised" in message.split("`: ", 1)[-1][:40]:
        return "raised"
    if "did the work" in message:
        return "work"
    return "answer"



def _strategies() -> Any:
    from hypothesis import strategies as st

    return st


# --- real-apps-likes-api ---------------------------------------------------------------------


class LikeStore:
    """The likes of each product, in memory; ``reads`` counts the reads (the work).

    ``before_write(pid)`` runs at the start of every ``add``: the check sends a GET of the same
    product there, as a visitor arriving while the like is being stored would. An answer that
    deletes the entry *before* the write lets that visitor put the old count back.
    """

    def __init__(self) -> None:
        self.likes: dict[int, int] = {}
        self.reads = 0
        self.before_write: Callable[[int], Any] = lambda pid: None

    def count(self, pid: int) -> int:
        self.reads += 1
        return self.likes.get(pid, 0)

    def add(self, pid: int) -> int:
        self.before_write(pid)
        self.likes[pid] = self.likes.get(pid, 0) + 1
        return self.likes[pid]


def _likes_truth(store: Any, cache: Cache | None = None) -> Blueprint:
    """The blueprint the exercise asks for: without ``cache``, the uncached truth."""
    bp = Blueprint("likes", __name__)

    class LikesAPI(MethodView):
        def get(self, pid: int) -> Any:
            return {"pid": pid, "likes": store.count(pid)}

        def post(self, pid: int) -> Any:
            count = store.add(pid)
            if cache is not None:
                cache.delete("view/" + request.path)
            return {"pid": pid, "likes": count}, 201

    if cache is not None:
        LikesAPI.get = cache.cached(timeout=300)(LikesAPI.get)  # type: ignore[method-assign]
    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp


def _likes_side(make: Callable[[LikeStore], Blueprint], cache: Cache) -> Callable[[], Side]:
    def side() -> Side:
        store = LikeStore()
        app = grading_app("likes_check")
        app.config["PROPAGATE_EXCEPTIONS"] = True
        cache.init_app(app, config=simple_config())
        blueprint = make(store)
        if not isinstance(blueprint, Blueprint):
            raise Fail(f"make_likes_blueprint should return a flask.Blueprint, not "
                       f"{type(blueprint).__name__}.")
        app.register_blueprint(blueprint, url_prefix=PREFIX)
        visitor = app.test_client()
        store.before_write = lambda pid: visitor.get(f"{PREFIX}/products/{pid}/likes")
        sided = flask_side(app, work=lambda: store.reads)
        sided.play = _quiet(app, sided.play)
        return sided

    return side


LIKES_TIPS = {
    "post-cached": ("A POST was answered from the cache: the key of @cached has no method in it, "
                    "so caching the whole view (the `decorators` list, or dispatch_request) "
                    "caches POST too. Cache the `get` method only (or add "
                    "unless=lambda: request.method != 'GET')."),
    "status": "POST must answer {'pid': pid, 'likes': <the new count>} with status 201.",
    "stale": ("A GET showed the count from before a POST. After storing the like, delete the "
              "GET's entry: 'view/' + request.path, which includes the blueprint's URL prefix "
              "(the check registers your blueprint under '/outlet'). Delete after the write, "
              "not before: the check sends another visitor's GET while the like is stored."),
    "shared": ("Two products were answered from one entry: the key must tell products apart "
               "(the default key, 'view/' + request.path, does)."),
    "raised": ("Your code raised an exception. Note that delete_cached(view) without path= "
               "calls url_for(view.__name__), which is not an endpoint of your blueprint: "
               "pass path=request.path."),
    "work": ("Every answer was right, but the cache missed where it could have hit: a POST "
             "should delete only its own product's entry (not clear() everything), after the "
             "write, not before (deleted first, the entry is refilled by another visitor's GET "
             "while the like is stored, with the old count)."),
}


def _likes_mistake(message: str) -> str:
    kind = _kind(message)
    if kind != "answer":
        return kind
    steps = _steps_of(message)
    last = steps[-1] if steps else ""
    served = re.search(r"was served the (\w+)'s body", message)
    if served and served.group(1) in ORDINALS:
        source = steps[ORDINALS.index(served.group(1))]
        if source.startswith("POST") or last.startswith("POST"):
            return "post-cached"  # a POST's answer was stored, or a POST was answered from it
    if last.startswith("POST"):
        return "post-cached" if "was served" in message else "status"
    product = last.split(" ", 1)[-1]
    return "stale" if f"POST {product}" in steps[:-1] else "shared"



def _likes_steps() -> Any:
    st = _strategies()
    steps = [Step(method, f"{method} {PREFIX}/products/{pid}/likes",
                  (f"{PREFIX}/products/{pid}/likes",))
             for pid in PIDS for method in ("GET", "GET", "POST")]
    return st.sampled_from(steps)


@exercise("real-apps-likes-api", hint=(
    "Cache only GET: decorate the `get` method with @cache.cached (the `decorators` list wraps "
    "POST too, and the key has no method in it). In `post`, after storing the like, delete the "
    "GET's entry: its key is 'view/' + request.path, and request.path includes the blueprint's "
    "URL prefix. Return the new count with status 201."))
def check_likes_api(ns: Namespace) -> str:
    make = ns.function("make_likes_blueprint")
    cache = ns.get("cache")
    if not isinstance(cache, Cache):
        raise NotAttempted("run the cell that defines `cache = Cache()` and your answer first.")

    def learner(store: LikeStore) -> Blueprint:
        return ns.call(make, store)

    reference_cache = Cache()
    try:
        judge(_likes_side(learner, cache),
              _likes_side(lambda store: _likes_truth(store), Cache()),
              _likes_steps(),
              reference=_likes_side(lambda store: _likes_truth(store, reference_cache),
                                    reference_cache),
              budget=QuickBudget(40, 7))
    except Fail as failure:
        raise Fail(LIKES_TIPS[_likes_mistake(str(failure))]
                   + f" The shortest sequence that shows it: {failure}") from None
    return ("GET is cached per product, POST is never answered from the cache, and each POST "
            "deletes exactly the entry it made stale, under the blueprint's prefix.")


# --- real-apps-warm-command ------------------------------------------------------------------


class PriceStore:
    """Prices in memory. ``reads`` counts what a warm-up should have saved: the reads a web
    request makes for a product warmed since its price last changed (the command's own reads,
    and reads of products nobody warmed, are free)."""

    def __init__(self) -> None:
        self.prices: dict[int, int] = {}
        self.reads = 0
        self.counting = True
        self.warmed: set[int] = set()

    def price(self, pid: int) -> int:
        if self.counting and pid in self.warmed:
            self.reads += 1
        return self.prices.get(pid, 100 * pid + 99)

    def set(self, pid: int, cents: int) -> None:
        self.prices[pid] = cents


def _warm_side(ns: Namespace, cached: bool, warm: Callable[[Flask], Any] | None
               ) -> Callable[[], Side]:
    create_shop = ns.get("create_shop")

    def side() -> Side:
        store = PriceStore()
        config = simple_config() if cached else {"CACHE_TYPE": "NullCache",
                                                 "CACHE_NO_NULL_WARNING": True}
        app = ns.call(create_shop, store, config)
        app.config["PROPAGATE_EXCEPTIONS"] = True
        if warm is not None:
            warm(app)
        web = flask_side(app, work=lambda: store.reads)

        def play(step: Step) -> Any:
            if step.kind == "POST":
                store.warmed.discard(step.args[1])  # its entry is deleted: a miss is fair
            if step.kind != "cli":
                return web.play(step)
            if warm is None:
                return None  # without a cache there is nothing to warm
            store.counting = False
            try:
                result = app.test_cli_runner().invoke(args=["warm", *map(str, step.args)])
            finally:
                store.counting = True
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            if result.exit_code != 0:
                raise RuntimeError(f"exit code {result.exit_code}: "
                                   f"{result.output.strip().splitlines()[-1:]}")
            store.warmed.update(step.args)
            return None

        return Side(_quiet(app, play), web.work)

    return side


def _warm_steps() -> Steps:
    """Every step spelled out, drawn uniformly (a list strategy would mostly warm `1`); a near
    step warms or visits a product an earlier step touched (after a price change, say)."""
    st = _strategies()

    def get(p: int) -> Step:
        return Step("GET", f"GET /products/{p}", (f"/products/{p}", p))

    def warm(*ids: int) -> Step:
        return Step("cli", "flask warm " + " ".join(map(str, ids)), ids)

    posts = [Step("POST", f"POST /products/{p}/price/{c}", (f"/products/{p}/price/{c}", p))
             for p in PIDS for c in (5, 700)]
    warms = [warm(*ids) for ids in ((1,), (2,), (10,), (11,), (10, 11), (2, 1), (1, 10, 11))]
    gets = [get(p) for p in PIDS]

    def near(step: Step) -> Any:
        if step.kind == "cli":  # visit a product it warmed: the first, or any other
            return st.sampled_from([get(p) for p in step.args])
        return st.sampled_from([warm(step.args[1]), get(step.args[1])])

    def fewer_ids(step: Step) -> list[Step]:
        """The same command with one id fewer: the hint shows `flask warm 1`, not `... 2 1`."""
        ids = step.args if step.kind == "cli" else ()
        return [warm(*ids[:i], *ids[i + 1:]) for i in range(len(ids))] if len(ids) > 1 else []

    return Steps(st.sampled_from(warms + gets + gets + posts), near, fewer_ids)


WARM_TIPS = {
    "work": ("A product that `flask warm` had just warmed was read again by the next GET: the "
             "command did not store the key the web request uses. A @cached view's key is "
             "'view/' + request.path, made from the request: calling the view function outside "
             "a request stores nothing (Flask-Caching logs the error). Play the request, "
             "app.test_client().get(path), or call the view inside "
             "app.test_request_context(path)."),
    "answer": ("After `flask warm`, a GET answered something else than the view answers: store "
               "exactly what the view returns (the same dict, not a JSON string), computed when "
               "the command runs (prices change)."),
    "raised": ("Your command raised an exception. Outside a request, url_for (used by "
               "make_cache_key or delete_cached without path=) needs SERVER_NAME: give the path "
               "yourself."),
}



def _reference_warm(app: Flask) -> None:
    import click

    @app.cli.command("warm")
    @click.argument("ids", nargs=-1, type=int)
    def warm(ids: tuple[int, ...]) -> None:
        client = app.test_client()
        for pid in ids:
            client.get(f"/products/{pid}")


@exercise("real-apps-warm-command", hint=(
    "A @cached view's key is 'view/' + request.path, built from the request: calling the view "
    "function from a command builds no key (Flask-Caching logs the error and stores nothing). "
    "Play the request instead: app.test_client().get(f'/products/{pid}') for each id, or call "
    "the view inside app.test_request_context(path)."))
def check_warm_command(ns: Namespace) -> str:
    add = ns.function("add_warm_command")
    if not callable(ns.get("create_shop")) or not isinstance(ns.get("cache"), Cache):
        raise NotAttempted("run the cell that defines `cache`, `product` and `create_shop` "
                           "first (it is the first part of the answer cell).")

    def learner_warm(app: Flask) -> None:
        ns.call(add, app)
        if "warm" not in app.cli.commands:
            raise Fail("add_warm_command(app) registered no command named 'warm' on app.cli "
                       "(use @app.cli.command('warm')).")

    try:
        judge(_warm_side(ns, True, learner_warm), _warm_side(ns, False, None), _warm_steps(),
              reference=_warm_side(ns, True, _reference_warm), budget=QuickBudget(40, 6))
    except Fail as failure:
        raise Fail(WARM_TIPS[_kind(str(failure))]
                   + f" The shortest sequence that shows it: {failure}") from None
    return ("`flask warm` stores the same keys as the web requests, so the first visit after a "
            "warm-up is a hit, and it warms the current data.")


# --- real-apps-orm-cards ---------------------------------------------------------------------

CATEGORY_NAMES = ("books", "kitchen", "toys", "Books", "unknown")


ORM_TIPS = {
    "raised": ("A visit raised an exception. ORM objects come back from the cache as detached "
               "copies: a lazy relationship such as `ratings` cannot load on them. Cache plain "
               "data (dicts) built while the session is open."),
    "work": ("Every answer was right, but a repeat visit ran SQL: cache the finished data (the "
             "list of dicts), not ids, query results or objects merged back into the session."),
    "answer": ("A page differed from the page without a cache: each category name needs its "
               "own entry (case matters: Books is not books), holding exactly what the page "
               "shows for it."),
}



def _cards_truth(app: Flask) -> None:
    from support.data import Product, Rating, db

    @app.get("/categories/<name>")
    def category(name: str) -> Any:
        products = Product.query.filter_by(category=name).order_by(Product.id).all()
        cards = []
        for product in products:
            ratings = db.session.query(Rating).filter_by(product_id=product.id).count()
            cards.append({"id": product.id, "name": product.name, "ratings": ratings})
        return {"category": name, "products": cards}


def _cards_reference(app: Flask, cache: Cache) -> None:
    from support.data import Product, Rating, db

    @cache.memoize(timeout=300)
    def cards(name: str) -> list[dict[str, Any]]:
        products = Product.query.filter_by(category=name).order_by(Product.id).all()
        return [{"id": p.id, "name": p.name,
                 "ratings": db.session.query(Rating).filter_by(product_id=p.id).count()}
                for p in products]

    @app.get("/categories/<name>")
    def category(name: str) -> Any:
        return {"category": name, "products": cards(name)}


def _cards_side(register: Callable[[Flask], Any], cache: Cache) -> Callable[[], Side]:
    """One app for every scenario (an app per scenario would open a database engine each
    time); each scenario starts with that app's SimpleCache emptied."""
    built: dict[str, Any] = {}

    def build() -> tuple[Flask, Any]:
        app = grading_app("cards_check")
        app.config["PROPAGATE_EXCEPTIONS"] = True
        cache.init_app(app, config=simple_config())
        init_shop(app)
        register(app)
        if not any(rule.rule.startswith("/categories/") for rule in app.url_map.iter_rules()):
            raise Fail("register_category_page(app) added no /categories/<name> route to app.")
        return app, app.test_client()

    def side() -> Side:
        if "app" not in built:
            built["app"], built["client"] = build()
        app, client = built["app"], built["client"]
        with app.app_context():
            app.extensions["cache"][cache].clear()  # this app's own SimpleCache
        done = {"queries": 0}

        def play(step: Step) -> Any:
            with capture_logs("flask_caching", app.logger.name), count_queries() as queries:
                try:
                    response = client.get(step.args[0])
                finally:
                    done["queries"] += queries.count
            return response.status_code, response.get_json(silent=True)

        return Side(play, lambda: done["queries"])

    return side


def _remembered(truth: Callable[[], Side]) -> Callable[[], Side]:
    """The truth's answer to each step, asked once per check (the shop is only read, so the
    page without a cache answers the same every time: no need to run its SQL again)."""
    answers: dict[str, Any] = {}

    def side() -> Side:
        fresh = truth()

        def play(step: Step) -> Any:
            if step.label not in answers:
                answers[step.label] = fresh.play(step)
            return answers[step.label]

        return Side(play)

    return side


def _cards_steps() -> Any:
    st = _strategies()
    return st.sampled_from(CATEGORY_NAMES).map(
        lambda name: Step("GET", f"GET /categories/{name}", (f"/categories/{name}",)))


@exercise("real-apps-orm-cards", hint=(
    "Memoize a function of the category name that returns plain data: a list of dicts built "
    "while the session is there (id, name and len(item.ratings) of each Item). A cached ORM "
    "object comes back from the cache as a detached copy: its lazy `ratings` cannot load."))
def check_orm_cards(ns: Namespace) -> str:
    register = ns.function("register_category_page")
    cache = ns.get("cache")
    if not isinstance(cache, Cache):
        raise NotAttempted("run the cell that defines `cache = Cache()` and your answer first.")
    reference_cache = Cache()
    try:
        with _as_main_module(ns.variables):
            judge(_cards_side(lambda app: ns.call(register, app), cache),
                  _remembered(_cards_side(_cards_truth, Cache())),
                  _cards_steps(),
                  reference=_cards_side(lambda app: _cards_reference(app, reference_cache),
                                        reference_cache),
                  budget=QuickBudget(25, 5))
    except Fail as failure:
        raise Fail(ORM_TIPS[_kind(str(failure))]
                   + f" The shortest sequence that shows it: {failure}") from None
    return ("each category's page is cached as plain data: a hit needs no session and runs no "
            "SQL, and no category is served another's page.")
