"""Checkers for lesson 01 (caching views).

Each checker builds its own Flask app and SimpleCache, plugs the learner's function or route
factory into them, sends requests through a test client and judges what comes back: the bodies,
and the number of SQL statements (or view calls) each request cost.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, abort, jsonify, make_response, request, session
from flask_caching import Cache

from support.backends import cache_keys, simple_config
from support.data import Product, User, count_queries, db, init_shop
from support.grading import Fail, Namespace, exercise

PAGE_SIZE = 10


# --- helpers ---------------------------------------------------------------------------------


@contextmanager
def _cache_errors() -> Iterator[list[str]]:
    """Collect what Flask-Caching logs when the cache itself fails (it then serves uncached)."""
    logger = logging.getLogger("flask_caching")
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            error = record.exc_info[1] if record.exc_info else None
            seen.append(f"{type(error).__name__}: {error}" if error else record.getMessage())

    handler = Collect(logging.ERROR)
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def _shop_app(name: str) -> tuple[Flask, Cache]:
    """A fresh app with the sample shop and a SimpleCache of its own."""
    app = Flask(name)
    app.config.update(simple_config(CACHE_DEFAULT_TIMEOUT=60))
    app.config["SECRET_KEY"] = "grading-only"
    app.testing = True  # the learner's exceptions reach the checker instead of a 500 page
    cache = Cache()
    cache.init_app(app)
    init_shop(app)
    return app, cache


def _register(ns: Namespace, factory: Callable[..., Any], app: Flask, cache: Cache,
              path: str) -> None:
    ns.call(factory, app, cache)
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule == path]
    if not rules:
        raise Fail(f"{factory.__name__}(app, cache) did not add a route for {path}: register it "
                   f"inside the function with @app.route({path!r}).")


def _get(client: Any, url: str, errors: list[str]) -> tuple[Any, int]:
    """GET url; (response, queries it ran). The learner's exception becomes a Fail."""
    with count_queries() as queries:
        try:
            response = client.get(url)
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1].filename
            if f"{os.sep}flask_caching{os.sep}" in where:
                errors.append(f"{type(exc).__name__}: {exc}")
            else:
                raise Fail(f"GET {url} raised {type(exc).__name__}: {exc}") from None
    if errors:
        raise Fail(f"the cache failed during GET {url} ({errors[0]}). Decorate the view with "
                   "the `cache` your function receives as an argument, not another Cache "
                   "object.")
    return response, queries.count


def _page(app: Flask, page: int = 1, category: str | None = None, discount: float = 1.0
          ) -> list[dict[str, Any]]:
    """The listing the exercises describe, computed by the checker itself."""
    with app.app_context():
        query = Product.query.order_by(Product.id)
        if category is not None:
            query = query.filter_by(category=category)
        products = query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).all()
        rows = [p.to_dict() for p in products]
    for row in rows:
        row["price"] = round(row["price"] * discount, 2)
    return rows


def _checker_listing(discount: float = 1.0) -> Any:
    """The checker's own listing view body (page and category from the query string)."""
    page = request.args.get("page", 1, type=int)
    query = Product.query.order_by(Product.id)
    if "category" in request.args:
        query = query.filter_by(category=request.args["category"])
    rows = [p.to_dict() for p in query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)]
    for row in rows:
        row["price"] = round(row["price"] * discount, 2)
    return jsonify(rows)


LISTING_URLS = [
    ("/api/products?page=1", {"page": 1}),
    ("/api/products?page=2", {"page": 2}),
    ("/api/products?page=3", {"page": 3}),
    ("/api/products?category=toys", {"category": "toys"}),
    ("/api/products?category=books", {"category": "books"}),
]


def _check_listing_urls(app: Flask, client: Any, errors: list[str], what_varies: str,
                        advice: str = "") -> None:
    """Each page and filter gets its own, correct body, and each is cached."""
    bodies: dict[str, Any] = {}
    for url, params in LISTING_URLS:
        response, _ = _get(client, url, errors)
        body = response.get_json(silent=True)
        if response.status_code != 200:
            raise Fail(f"GET {url} returned status {response.status_code}, expected 200.")
        wanted = _page(app, **params)
        if body != wanted:
            same_as = next((seen for seen, seen_body in bodies.items() if seen_body == body), None)
            if same_as is not None:
                missing = "category" if "category" in url else "page"
                raise Fail(f"GET {url} came back with the body of GET {same_as}: {what_varies} "
                           f"does not tell them apart, so it ignores `{missing}`.{advice}")
            raise Fail(f"GET {url} did not return that page of the listing: return listing() "
                       "from the view.")
        bodies[url] = body
    total = 0
    for url, _ in LISTING_URLS:
        response, queries = _get(client, url, errors)
        total += queries
        if response.get_json(silent=True) != bodies[url]:
            raise Fail(f"the second GET {url} returned another body than the first.")
    if total == len(LISTING_URLS):
        raise Fail("nothing was cached: every repeated request ran the query again. Is "
                   "@cache.cached directly above the view function, below @app.route? (Above "
                   "it, Flask registers the undecorated function.)")
    if total:
        raise Fail(f"{total} of {len(LISTING_URLS)} repeated requests ran the query again: each "
                   "page and filter should be served from its cache entry the second time.")


# --- views-query-string -----------------------------------------------------------------------


@exercise("views-query-string", hint=(
    "The default key of @cache.cached is 'view/' + the path, and the query string is not part "
    "of the path. One argument of cached() adds the query string to the key."))
def check_query_string(ns: Namespace) -> str:
    register_listing = ns.function("register_listing")
    app, cache = _shop_app("views_query_string")
    _register(ns, register_listing, app, cache, "/api/products")
    client = app.test_client()
    with _cache_errors() as errors:
        _check_listing_urls(app, client, errors, "the cache key", advice=(
            " The default key of @cache.cached is the path only: add the query string to the "
            "key (query_string=True), or build the key from page and category."))
    return ("Each page and each filter gets its own cache entry with the right body, and a "
            "repeated request runs no query.")


# --- views-allow-list -------------------------------------------------------------------------


@exercise("views-allow-list", hint=(
    "Read the two parameters with request.args.get (page as an int, default 1; category, "
    "default ''), and return one string made of request.path and those two values only."))
def check_allow_list(ns: Namespace) -> str:
    listing_key = ns.function("listing_key")
    app, cache = _shop_app("views_allow_list")
    for url in ["/api/products?page=2&category=toys", "/api/products"]:
        with app.test_request_context(url):
            key = ns.call(listing_key)
        if not isinstance(key, str):
            raise Fail(f"listing_key() should return a string, but for {url} it returned a "
                       f"{type(key).__name__} ({key!r}).")
    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=listing_key)
    def products() -> Any:
        return _checker_listing()

    @app.route("/api/sale")
    @cache.cached(timeout=60, make_cache_key=listing_key)
    def sale() -> Any:
        return _checker_listing(discount=0.5)

    client = app.test_client()
    with _cache_errors() as errors:
        _check_listing_urls(app, client, errors, "listing_key()")
        for url in ["/api/products?page=2&utm_source=mail", "/api/products?page=2&x=1",
                    "/api/products?x=2&page=2&ref=home"]:
            _, queries = _get(client, url, errors)
            if queries:
                raise Fail(f"GET {url} ran the query again after GET /api/products?page=2: the "
                           "key contains parameters the view never reads, so every junk "
                           "parameter makes a new entry. Build it from page and category only.")
        _get(client, "/api/products?category=toys&page=1", errors)
        _, queries = _get(client, "/api/products?page=1&category=toys", errors)
        if queries:
            raise Fail("?category=toys&page=1 and ?page=1&category=toys got two entries: the "
                       "same parameters in another order should give the same key.")
        response, _ = _get(client, "/api/sale?page=2", errors)
        if response.get_json(silent=True) != _page(app, page=2, discount=0.5):
            raise Fail("GET /api/sale?page=2 came back with the body of /api/products?page=2: "
                       "two views that use listing_key share entries. Put request.path in the "
                       "key.")
    with app.test_request_context("/api/products?page=1"):
        page_one = ns.call(listing_key)
    for query, how in [("?page=01", "with a leading zero"), ("?page=abc", "that is not a number")]:
        with app.test_request_context(f"/api/products{query}"):
            try:
                key = listing_key()
            except Exception as exc:
                raise Fail(f"listing_key() raised {type(exc).__name__}: {exc} for "
                           f"/api/products{query}. The view reads a page {how} as "
                           "request.args.get('page', 1, type=int), which falls back to 1: parse "
                           "it the same way in the key, so it never raises.") from None
        if key != page_one:
            raise Fail(f"/api/products{query} got the key {key!r}, but /api/products?page=1 got "
                       f"{page_one!r}, though the view serves page 1 for both (a page {how}): "
                       "the key uses the raw text of `page`. Parse it the way the view does, "
                       "request.args.get('page', 1, type=int), so equal pages share one entry.")

    return ("The key depends on the path, page and category only, parsed as the view parses "
            "them: junk parameters, their order and ?page=01 make no new entries.")


# --- views-error-filter -----------------------------------------------------------------------

ERROR_ROUTES: dict[str, tuple[str, Callable[[], Any]]] = {
    "/missing": ("a tuple ({...}, 404)", lambda: ({"error": "no such product"}, 404)),
    "/crash": ("a tuple (jsonify(...), 500)", lambda: (jsonify(error="database down"), 500)),
    "/abort": ("abort(404)", lambda: abort(404)),
    "/unavailable": ("make_response(jsonify(...), 503)",
                     lambda: make_response(jsonify(error="busy"), 503)),
}
OK_ROUTES: dict[str, tuple[str, Callable[[], Any]]] = {
    "/dict": ("a dict", lambda: {"name": "Blue Kettle"}),
    "/text": ("a string", lambda: "hello"),
    "/jsonify": ("jsonify(...)", lambda: jsonify(name="Blue Kettle")),
    "/tuple": ("a tuple ({...}, 200, headers)",
               lambda: ({"name": "Blue Kettle"}, 200, {"X-Source": "db"})),
}


@exercise("views-error-filter", hint=(
    "response_filter receives what the view returned: a dict, a string, a tuple or a Response. "
    "current_app.make_response(rv) turns any of them into a Response with a status_code."))
def check_error_filter(ns: Namespace) -> str:
    cacheable = ns.function("cacheable")
    app, cache = _shop_app("views_error_filter")
    calls: dict[str, int] = {}
    shapes: dict[str, str] = {}

    def add(path: str, shape: str, body: Callable[[], Any]) -> None:
        def view() -> Any:
            calls[path] += 1
            return body()

        calls[path] = 0
        shapes[path] = shape
        app.add_url_rule(path, path.strip("/"),
                         cache.cached(timeout=60, response_filter=cacheable)(view))

    for path, (shape, body) in {**OK_ROUTES, **ERROR_ROUTES}.items():
        add(path, shape, body)
    client = app.test_client()
    for path in calls:
        for _ in range(2):
            try:
                client.get(path)
            except Exception as exc:
                raise Fail(f"your filter raised {type(exc).__name__}: {exc} when the view "
                           f"returned {shapes[path]} (GET {path}). response_filter gets what the "
                           "view returned, which is not always a Response: "
                           "current_app.make_response(rv) turns it into one.") from None
    cached_errors = [path for path in ERROR_ROUTES if calls[path] == 1]
    if cached_errors:
        which = ", ".join(f"{shapes[p]} (GET {p})" for p in cached_errors)
        raise Fail(f"these error responses were cached: {which}. The filter must return False "
                   "for any status of 400 or more, whatever shape the view returned.")
    uncached_ok = [path for path in OK_ROUTES if calls[path] == 2]
    if uncached_ok:
        which = ", ".join(f"{shapes[p]} (GET {p})" for p in uncached_ok)
        raise Fail(f"these successful responses were not cached: {which}. The filter must "
                   "return True for a 2xx response, whatever shape the view returned.")
    return ("Successes are cached and errors are not, whether the view returns a dict, a string, "
            "a tuple, a Response or calls abort().")


# --- views-per-user ---------------------------------------------------------------------------

USERS = {"Ada": 1, "Ben": 2, "Chloe": 3}


@exercise("views-per-user", hint=(
    "Keep @cache.cached, but give it a key that contains the logged-in user: a make_cache_key "
    "(or a callable key_prefix) that reads the user id from the session. A logged-out visitor "
    "has no session['user_id']: read it with session.get('user_id'), or bypass the cache for "
    "them with unless=lambda: 'user_id' not in session."))
def check_per_user(ns: Namespace) -> str:
    register_me = ns.function("register_me")
    app, cache = _shop_app("views_per_user")

    @app.post("/login/<int:user_id>")
    def login(user_id: int) -> Any:
        session["user_id"] = user_id
        return {"logged_in": user_id}

    _register(ns, register_me, app, cache, "/api/me")
    with app.app_context():
        profiles = {name: db.session.get(User, uid).to_dict() for name, uid in USERS.items()}
    browsers = {name: app.test_client() for name in USERS}
    for name, browser in browsers.items():
        browser.post(f"/login/{USERS[name]}")
    total = 0
    with _cache_errors() as errors:
        for _ in range(3):
            for name, browser in browsers.items():
                response, queries = _get(browser, "/api/me", errors)
                total += queries
                body = response.get_json(silent=True)
                if response.status_code != 200:
                    raise Fail(f"GET /api/me for {name} returned status {response.status_code}.")
                if body != profiles[name]:
                    owner = next((n for n, p in profiles.items() if p == body), None)
                    if owner is not None:
                        raise Fail(f"{name} was served {owner}'s profile: the cache key does not "
                                   "contain the user, so every user shares one entry. Vary the "
                                   "key on session['user_id'].")
                    raise Fail(f"GET /api/me for {name} returned {body!r}: return "
                               "current_profile() from the view.")
    with app.app_context():
        entries = len(cache_keys(cache))
    if total >= 3 * len(USERS) and entries > len(USERS):
        raise Fail(f"every request ran the query and left a new entry ({entries} entries for "
                   f"{len(USERS)} users): the key changes between requests of the same user. "
                   "Build it from the user id only (and the path).")
    if total >= 3 * len(USERS):
        raise Fail("every request ran the query: /api/me is not cached. Keep @cache.cached "
                   "(below @app.route) and change its key.")
    if total > len(USERS):
        raise Fail(f"{len(USERS)} users x 3 requests ran {total} queries, expected "
                   f"{len(USERS)}: the key changes between requests of the same user. Build it "
                   "from the user id only (and the path).")
    _check_logged_out(app, profiles)
    for name, browser in browsers.items():
        with _cache_errors() as errors:
            response, _ = _get(browser, "/api/me", errors)
        if response.get_json(silent=True) != profiles[name]:
            raise Fail(f"after a logged-out visit, {name} was served "
                       f"{response.get_json(silent=True)!r} instead of their own profile: the "
                       "logged-out visitor's entry shares a key with a user's.")
    return ("Each user gets their own profile, each profile is cached (one query per user), and "
            "a logged-out visitor gets neither a crash nor someone else's page.")


def _check_logged_out(app: Flask, profiles: dict[str, Any]) -> None:
    """One request with no session: no exception, no 500, and nobody's profile."""
    visitor = app.test_client()
    fix = ("Read the user with session.get('user_id'), or bypass the cache for logged-out "
           "visitors with unless=lambda: 'user_id' not in session.")
    with _cache_errors() as errors:
        try:
            response = visitor.get("/api/me")
        except Exception as exc:
            raise Fail(f"a logged-out visitor's GET /api/me raised {type(exc).__name__}: {exc} "
                       "(a 500 error in production): there is no session['user_id'] before "
                       f"login. {fix}") from None
    if errors:
        raise Fail(f"a logged-out visitor made the cache key raise ({errors[0]}): Flask-Caching "
                   "logged the error and skipped the cache, because there is no "
                   f"session['user_id'] before login. {fix}")
    if response.status_code >= 500:
        raise Fail(f"a logged-out visitor's GET /api/me returned status {response.status_code}: "
                   f"there is no session['user_id'] before login. {fix}")
    body = response.get_json(silent=True)
    owner = next((n for n, p in profiles.items() if p == body), None)
    if owner is not None:
        raise Fail(f"a logged-out visitor was served {owner}'s profile: without a user id the "
                   "key falls back to one a logged-in user also gets. Give logged-out visitors "
                   "a key of their own, or bypass the cache for them.")
