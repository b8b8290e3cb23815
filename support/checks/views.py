"""Checkers for lesson 01 (caching views).

How they judge: by **cache transparency**, with the shared core
(:func:`support.checks.transparency.judge`). A cached view is correct when it answers
exactly what the same view without a cache answers, whatever came before, while saving at least
the work the worked solution saves. Each checker gives the core three sides over the sample shop:
the learner's app (cached), the ``truth`` (the same view, no cache) and the ``reference`` (the
worked solution, or a model of it: the distinct keys it would store). The core plays generated
sequences of steps (derandomised and bounded, so a learner gets the same verdict on every run),
after a few explicit sequences that try every way a key can go wrong on plain requests (absent vs
empty, case, spelling, order, junk, ...), so that no edge depends on the draw. The strategies
reach the edges: absent, empty, repeated, differently cased, signed or zero-padded parameters,
unknown values, parameters the view never reads, a second view under a similar path, several
browsers and users whose ids share prefixes, failing views that recover. A failing sequence is
shortened, and the hint names it, e.g. "`GET /api/products` then `GET /api/products?category=`:
the second was served the first's body", followed by advice for the exercise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Flask, abort, current_app, jsonify, make_response, redirect, request, session
from flask_caching import Cache
from hypothesis import strategies as st

from support.checks.plumbing import cache_errors, raised_inside_flask_caching, simple_app
from support.checks.transparency import (Budget, FailingScenario, Side, Step, StepFailed, Steps,
                                         get_step, judge, with_advice)
from support.data import Product, User, count_queries, db, init_shop
from support.checks.core import Fail, Namespace, exercise

PAGE_SIZE = 10
Answer = tuple[int, str]  # status code and body

# --- apps and sides ---------------------------------------------------------------------------


def _shop_app(name: str) -> tuple[Flask, Cache]:
    """A fresh app with the sample shop and a SimpleCache of its own (unused by the truth)."""
    app, cache = simple_app(name, CACHE_DEFAULT_TIMEOUT=60)
    init_shop(app)
    return app, cache


def _entries(cache: Cache) -> int:
    return len(cache.cache._cache)  # type: ignore[attr-defined]


class _Browsers:
    """An app driven by browsers (test clients with their own cookies). Built once per check;
    :meth:`side` gives each scenario a cold cache, new browsers and no work done.

    Steps: ``GET`` (args: url[, browser]), ``login`` (user id, browser), ``logout`` (_, browser).
    Work is the SQL queries run, or ``calls()`` when given. An error Flask-Caching logged (it
    then serves uncached) or raised itself fails the step in the core's words
    (:class:`StepFailed`); the learner's own exceptions reach the core as they are.
    """

    def __init__(self, app: Flask, cache: Cache, calls: Callable[[], int] | None = None,
                 reset: Callable[[], None] = lambda: None) -> None:
        self.app, self.cache, self.calls, self.reset = app, cache, calls, reset
        self.queries = 0
        self.clients: dict[str, Any] = {}

    def side(self) -> Side:
        with self.app.app_context():
            self.cache.clear()  # a SimpleCache of the checker's own
        self.reset()
        self.queries = 0
        self.clients = {}
        return Side(self.play, self.work, lambda: _entries(self.cache))

    def work(self) -> int:
        return self.calls() if self.calls is not None else self.queries

    def play(self, step: Step) -> Answer | None:
        browser = step.args[1] if len(step.args) > 1 else "A"
        if browser not in self.clients:
            self.clients[browser] = self.app.test_client()
        client = self.clients[browser]
        if step.kind == "login":
            client.post(f"/login/{step.args[0]}")
            return None
        if step.kind == "logout":
            client.post("/logout")
            return None
        raised: Exception | None = None
        with count_queries() as queries, cache_errors() as errors:
            try:
                response = client.get(step.args[0])
            except Exception as exc:
                if not raised_inside_flask_caching(exc):
                    raise  # the learner's code raised: the core reports it as it is
                raised = exc
        self.queries += queries.count
        if raised is not None:
            raise StepFailed(f"the cache failed: Flask-Caching raised {type(raised).__name__}: "
                             f"{raised}.") from raised
        if errors:
            raise StepFailed(f"the cache failed ({errors[0]}): Flask-Caching logged it and ran "
                             "the view without the cache (in debug mode it raises).")
        return response.status_code, response.get_data(as_text=True)


def _register(ns: Namespace, factory: Callable[..., Any], app: Flask, cache: Cache,
              path: str) -> None:
    ns.call(factory, app, cache)
    if not any(rule.rule == path for rule in app.url_map.iter_rules()):
        raise Fail(f"{factory.__name__}(app, cache) did not add a route for {path}: register it "
                   f"inside the function with @app.route({path!r}).")


def _advice(*parts: str) -> str:
    return " ".join(p for p in parts if p)


# --- the listing (views-query-string, views-allow-list) ----------------------------------------

DISCOUNTS = {"/api/products": 1.0, "/api/sale": 0.5}


def _listing(discount: float = 1.0) -> Any:
    """The lesson's listing (page and category from the query string), optionally discounted."""
    page = request.args.get("page", 1, type=int)
    query = Product.query.order_by(Product.id)
    if "category" in request.args:
        query = query.filter_by(category=request.args["category"])
    rows = [p.to_dict() for p in query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)]
    for row in rows:
        row["price"] = round(row["price"] * discount, 2)
    return jsonify(rows)


def _add_listings(app: Flask, paths: Sequence[str],
                  decorate: Callable[[Callable[[], Any]], Any] = lambda view: view) -> None:
    for path in paths:
        view = (lambda d: lambda: _listing(d))(DISCOUNTS[path])
        app.add_url_rule(path, path.strip("/").replace("/", "_"), decorate(view))


def _solution_listing_key() -> str:
    page = request.args.get("page", 1, type=int)
    category = request.args.get("category")
    return f"view/{request.path}?page={page}&category={category!r}"


def _query_string_key() -> Any:
    """What query_string=True keys on: the path and the sorted query pairs."""
    return request.path, tuple(sorted(request.args.items(multi=True)))


def _listing_sides(name: str, paths: Sequence[str], solution_key: Callable[[], Any]
                   ) -> tuple[Callable[[], Side], Callable[[], Side]]:
    """The truth (the uncached listing, asked once per distinct URL: its answer depends on the
    URL only) and a model of the worked solution: a request whose key it has not seen yet is a
    miss that runs the listing's one query and stores one entry. That keeps a check fast."""
    app, _ = _shop_app(f"{name}_truth")
    _add_listings(app, paths)
    client = app.test_client()
    answers: dict[str, Answer] = {}
    keys: dict[str, Any] = {}

    def truth_answer(step: Step) -> Answer:
        url = step.args[0]
        if url not in answers:
            response = client.get(url)
            answers[url] = response.status_code, response.get_data(as_text=True)
        return answers[url]

    def reference() -> Side:
        seen: set[Any] = set()

        def play(step: Step) -> None:
            url = step.args[0]
            if url not in keys:
                with app.test_request_context(url):
                    keys[url] = solution_key()
            seen.add(keys[url])

        return Side(play, lambda: len(seen), lambda: len(seen))

    return lambda: Side(truth_answer), reference


ABSENT = None
# Absent comes first (the simplest) and more often than any single value.
PAGES = [ABSENT, ABSENT, ABSENT, "1", "2", "", "01", "+1", "abc", "11", "0", " 2"]
CATEGORIES = [ABSENT, ABSENT, ABSENT, "", "books", "Books", "None", "books ", "1", "toys", "nope"]
JUNK = [ABSENT, ABSENT, ABSENT, ("utm_source", "mail"), ("x", "1"), ("Page", "2"),
        ("CATEGORY", "books"), ("sort", "price")]
Pairs = tuple[tuple[str, str], ...]


def _url(path: str, pairs: Pairs) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _parts(step: Step) -> tuple[str, Pairs]:
    parts = urlsplit(step.args[0])
    return parts.path, tuple(parse_qsl(parts.query, keep_blank_values=True))


def _get_arg(pairs: Pairs, name: str) -> str | None:
    return next((v for n, v in pairs if n == name), None)


def _set_arg(pairs: Pairs, name: str, value: str | None) -> Pairs:
    """pairs with every `name` removed, then `name=value` added (unless value is None)."""
    kept = tuple(p for p in pairs if p[0] != name)
    return kept if value is None else (*kept, (name, value))


def _twin(pairs: Pairs, how: str) -> Pairs:
    """A request that differs from `pairs` in one way a key function can get wrong."""
    page, category = _get_arg(pairs, "page"), _get_arg(pairs, "category")
    if how == "reversed":
        return tuple(reversed(pairs))
    if how == "repeated":  # the view reads the first of repeated parameters
        return (("category", "books" if category == "toys" else "toys"), *pairs)
    if how == "junk":
        return (*pairs, ("utm_source", "mail"))
    if how == "absent/empty":
        return _set_arg(pairs, "category", "" if category is None else None)
    if how == "absent/None":
        return _set_arg(pairs, "category", "None" if category is None else None)
    if how == "case":
        return _set_arg(pairs, "category", "Books" if category is None else category.swapcase())
    if how == "space":
        return _set_arg(pairs, "category", (category or "books") + " ")
    if how == "page spelling":
        return _set_arg(pairs, "page", "01" if page is None else "0" + page)
    if how == "page sign":
        return _set_arg(pairs, "page", "+1" if page is None else "+" + page)
    if how == "page absent":
        return _set_arg(pairs, "page", None if page is not None else "1")
    # "digit shift": ?page=11 <-> ?page=1&category=1
    if category is None:
        page = page or "11"
        return _set_arg(_set_arg(pairs, "page", page[:-1] or "1"), "category", page[-1])
    return _set_arg(_set_arg(pairs, "category", None), "page", (page or "1") + category)


TWINS = ["absent/empty", "absent/None", "case", "space", "page spelling", "page sign",
         "page absent", "reversed", "junk", "digit shift", "repeated"]
LISTING_BASES: list[Pairs] = [(), (("category", "books"),), (("category", ""),), (("page", "11"),),
                              (("page", "2"), ("category", "books"))]


def _unique_names(pairs: Pairs) -> Pairs:
    seen: set[str] = set()
    return tuple(p for p in pairs if not (p[0] in seen or seen.add(p[0])))  # type: ignore[func-returns-value]


def _listing_steps(paths: Sequence[str], repeated: bool) -> Steps:
    """Fresh requests (page, category, a parameter the view never reads, a second category, each
    possibly absent, in either order) and near ones: an earlier request that differs in one way a
    key can get wrong (absent vs empty, case, spelling of the page, order, a junk parameter, ...).
    With ``repeated=False`` no parameter appears twice in one query string."""
    def request_step(path: str, pairs: Pairs) -> Step:
        return get_step(_url(path, pairs if repeated else _unique_names(pairs)))

    def fresh(path: str, page: str | None, category: str | None, junk: Any, second: str | None,
              backwards: bool) -> Step:
        pairs = tuple(p for p in (("page", page) if page is not None else None,
                                  ("category", category) if category is not None else None,
                                  junk, ("category", second) if second is not None else None)
                      if p is not None)
        return request_step(path, tuple(reversed(pairs)) if backwards else pairs)

    def near(step: Step) -> st.SearchStrategy[Step]:
        path, pairs = _parts(step)
        return st.sampled_from(TWINS).map(lambda how: request_step(path, _twin(pairs, how)))

    seconds = [ABSENT, "toys"] if repeated else [ABSENT]
    return Steps(st.builds(fresh, st.sampled_from(list(paths)), st.sampled_from(PAGES),
                           st.sampled_from(CATEGORIES), st.sampled_from(JUNK),
                           st.sampled_from(seconds), st.booleans()), near)


def _listing_explicit(paths: Sequence[str], repeated: bool) -> list[list[Step]]:
    """Each plain request followed by each of its twins, and by the same request on each other
    path; with ``repeated``, two categories in both orders."""
    def step(path: str, pairs: Pairs) -> Step:
        return get_step(_url(path, pairs if repeated else _unique_names(pairs)))

    out = [[step(paths[0], pairs), step(paths[0], _twin(pairs, how))]
           for pairs in LISTING_BASES for how in TWINS]
    out += [[step(paths[0], pairs), step(other, pairs)]
            for pairs in LISTING_BASES for other in paths[1:]]
    if repeated:
        out.append([step(paths[0], (("category", "books"), ("category", "toys"))),
                    step(paths[0], (("category", "toys"), ("category", "books")))])
    return out


def _merge_advice(earlier: Step, step: Step) -> str:
    """Why two listing URLs the view answers differently ended up under one key."""
    (path1, pairs1), (path2, pairs2) = _parts(earlier), _parts(step)
    if path1 != path2:
        return "Two views at different paths share entries: put request.path in the key."
    category1, category2 = _get_arg(pairs1, "category"), _get_arg(pairs2, "category")
    if (category1 is None) != (category2 is None):
        present = category2 if category1 is None else category1
        return (f"The view filters on `category` whenever it is present, even as {present!r}, "
                "and lists everything when it is absent: the key must tell an absent category "
                "from that value.")
    if any(len([n for n, _ in pairs if n == "category"]) > 1 for pairs in (pairs1, pairs2)):
        return ("The view reads the first of repeated parameters (request.args.get): read "
                "them the same way in the key.")
    if category1 != category2:
        return ("The view filters on the exact text of `category` (no lower-casing, no "
                "stripping), so each spelling needs its own key.")
    return ("The key merges requests for different pages: build it from page (as an int, the "
            "way the view parses it) and category.")


def _split_advice(twin: Step | None, step: Step) -> str:
    if twin is None:
        return ("A repeated request should be a hit: is the view cached, with a key that does not "
                "change between identical requests?")
    (_, pairs1), (_, pairs2) = _parts(twin), _parts(step)
    names1, names2 = {n for n, _ in pairs1}, {n for n, _ in pairs2}
    if sorted(pairs1) == sorted(pairs2):
        return ("The same parameters in another order should give the same key: build it from "
                "the values, not from the raw query string.")
    if {"page", "category"} & names1 == {"page", "category"} & names2 and names1 != names2:
        return ("The key contains a parameter the view never reads, so every junk parameter "
                "makes a new entry: build it from page and category only.")
    return ("The view parses `page` as a number (`01`, `+1` and `1` are the same page, and a "
            "page that is not a number is page 1): parse it the same way in the key, "
            "request.args.get('page', 1, type=int).")


def _twin_of(found: FailingScenario) -> Step | None:
    """The latest earlier request the view answers exactly as the last one (a missed hit)."""
    return next((found.steps[i] for i in range(len(found.steps) - 2, -1, -1)
                 if found.truths[i] == found.truths[-1]), None)


def _judge_listing(learner: _Browsers, paths: Sequence[str], solution_key: Callable[[], Any],
                   explain: Callable[[FailingScenario], str], repeated: bool, examples: int) -> None:
    truth, reference = _listing_sides(f"{learner.app.name}_model", paths, solution_key)
    judge(learner.side, truth, _listing_steps(paths, repeated), reference=reference,
          examples=_listing_explicit(paths, repeated), entries_within_reference=True,
          explain=with_advice(explain), budget=Budget(examples, 8), noun="body")


ENTRIES_ADVICE = ("Each request should store at most one entry, under a key that depends only on "
                  "what the view reads.")


# --- views-query-string -----------------------------------------------------------------------


def _other_cache_advice() -> str:
    return ("Decorate the view with the `cache` your function receives as an argument, not "
            "another Cache object.")


def _nothing_cached(learner: _Browsers, url: str) -> None:
    """A quick first probe, for a clearer hint than a generated sequence gives."""
    side = learner.side()
    try:
        for _ in range(3):
            side.play(get_step(url))
    except Exception:
        return  # the generated scenarios report it with the sequence
    if side.work() >= 3:
        raise Fail(f"nothing was cached: `GET {url}` three times ran the query three times. Is "
                   "@cache.cached directly above the view function, below @app.route? (Above "
                   "it, Flask registers the undecorated function.)")


@exercise("views-query-string", hint=(
    "The default key of @cache.cached is 'view/' + the path, and the query string is not part "
    "of the path. One argument of cached() adds the query string to the key."))
def check_query_string(ns: Namespace) -> str:
    register_listing = ns.function("register_listing")
    app, cache = _shop_app("views_query_string_learner")
    _register(ns, register_listing, app, cache, "/api/products")
    learner = _Browsers(app, cache)
    _nothing_cached(learner, "/api/products?page=2")

    def explain(found: FailingScenario) -> str:
        if found.kind == "answer":
            earlier = found.served()
            if earlier is None:
                return "Return listing() from the view."
            return _advice("The cache key does not tell these URLs apart. The default key of "
                           "@cache.cached is the path only: add the query string to the key "
                           "(query_string=True), or build the key from every parameter the view "
                           "reads.", _merge_advice(found.steps[earlier], found.steps[-1]))
        if found.kind == "work":
            return _split_advice(_twin_of(found), found.steps[-1])
        if found.kind == "entries":
            return ENTRIES_ADVICE
        return _other_cache_advice()

    # The worked solution is query_string=True, which sorts the query pairs: it merges
    # ?category=books&category=toys with ?category=toys&category=books although the view reads
    # the first value (the lesson shows it), so this exercise repeats no parameter.
    _judge_listing(learner, ["/api/products"], _query_string_key, explain, repeated=False,
                   examples=20)
    return ("Each page and each filter gets its own cache entry with the right body, and a "
            "repeated request runs no query.")


# --- views-allow-list -------------------------------------------------------------------------


@exercise("views-allow-list", hint=(
    "Read the two parameters the way the view reads them: page with request.args.get('page', 1, "
    "type=int); category with request.args.get('category'), which is None when it is absent "
    "(the view tells absent from empty). Return one string made of request.path and those two "
    "values only, written so that different values never give the same text (repr helps)."))
def check_allow_list(ns: Namespace) -> str:
    listing_key = ns.function("listing_key")
    paths = list(DISCOUNTS)
    app, cache = _shop_app("views_allow_list_learner")
    for url in ["/api/products?page=2&category=toys", "/api/products"]:
        with app.test_request_context(url):
            key = ns.call(listing_key)
        if not isinstance(key, str):
            raise Fail(f"listing_key() should return a string, but for {url} it returned a "
                       f"{type(key).__name__} ({key!r}).")
    _add_listings(app, paths, cache.cached(timeout=60, make_cache_key=listing_key))

    def key_of(step: Step) -> str:
        with app.test_request_context(step.args[0]):
            return repr(listing_key())

    def explain(found: FailingScenario) -> str:
        last = found.steps[-1]
        if found.kind == "answer" and (earlier := found.served()) is not None:
            return _advice(f"Your listing_key() gave both the key {key_of(found.steps[earlier])}.",
                           _merge_advice(found.steps[earlier], last))
        if found.kind == "work":
            twin = _twin_of(found)
            keys = f"Your listing_key() gave {key_of(twin)} and {key_of(last)}." if twin else ""
            return _advice(keys, _split_advice(twin, last))
        if found.kind == "entries":
            return ENTRIES_ADVICE
        if found.kind == "failed":
            return ("listing_key() must work for every request. The view reads a page that is "
                    "not a number as request.args.get('page', 1, type=int), which falls back to "
                    "1: parse it the same way in the key, so it never raises.")
        return ""

    _judge_listing(learner=_Browsers(app, cache), paths=paths,
                   solution_key=_solution_listing_key, explain=explain, repeated=True,
                   examples=30)
    return ("Every answer equals the uncached view's, on generated sequences of absent, empty, "
            "repeated, reordered, differently spelled and junk parameters, and your key saves "
            "as many queries as the worked solution.")


# --- views-error-filter -----------------------------------------------------------------------

# Each error route fails on its first request only (the product is then created, the database
# comes back): a cached error would be served after the world has recovered.
ERROR_ROUTES: dict[str, tuple[str, Callable[[], Any]]] = {
    "/missing": ("a tuple ({...}, 404)", lambda: ({"error": "no such product"}, 404)),
    "/crash": ("a tuple (jsonify(...), 500)", lambda: (jsonify(error="database down"), 500)),
    "/abort": ("abort(404)", lambda: abort(404)),
    "/unavailable": ("make_response(jsonify(...), 503)",
                     lambda: make_response(jsonify(error="busy"), 503)),
    "/bad": ("a tuple ({...}, 400)", lambda: ({"error": "bad request"}, 400)),
    "/text-error": ("a tuple ('...', 404, headers)",
                    lambda: ("not found", 404, {"X-Source": "db"})),
}
OK_ROUTES: dict[str, tuple[str, Callable[[], Any]]] = {
    "/dict": ("a dict", lambda: {"name": "Blue Kettle"}),
    "/text": ("a string", lambda: "hello"),
    "/jsonify": ("jsonify(...)", lambda: jsonify(name="Blue Kettle")),
    "/tuple": ("a tuple ({...}, 200, headers)",
               lambda: ({"name": "Blue Kettle"}, 200, {"X-Source": "db"})),
    "/created": ("a tuple ({...}, 201)", lambda: ({"id": 41}, 201)),
    "/moved": ("redirect(...) (302)", lambda: redirect("/dict")),
}
ROUTE_SHAPES = {path: shape for path, (shape, _) in {**OK_ROUTES, **ERROR_ROUTES}.items()}


def _solution_filter(rv: Any) -> bool:
    return current_app.make_response(rv).status_code < 400


def _error_filter_side(name: str, response_filter: Callable[[Any], Any] | None
                       ) -> Callable[[], Side]:
    """Every route, cached with ``response_filter`` (no cache when None). Work: view calls."""
    app, cache = _shop_app(name)
    requests: dict[str, int] = {}
    calls = {"n": 0}

    def add(path: str, body: Callable[[], Any], fails_first: bool) -> None:
        def view() -> Any:
            calls["n"] += 1
            if fails_first and requests.get(path, 0) > 1:
                return {"recovered": path}
            return body()

        if response_filter is not None:
            view = cache.cached(timeout=60, response_filter=response_filter)(view)
        app.add_url_rule(path, path.strip("/").replace("-", "_"), view)

    @app.before_request
    def count_requests() -> None:
        requests[request.path] = requests.get(request.path, 0) + 1

    for path, (_, body) in OK_ROUTES.items():
        add(path, body, False)
    for path, (_, body) in ERROR_ROUTES.items():
        add(path, body, True)

    def reset() -> None:
        requests.clear()
        calls["n"] = 0

    return _Browsers(app, cache, calls=lambda: calls["n"], reset=reset).side


@exercise("views-error-filter", hint=(
    "response_filter receives what the view returned: a dict, a string, a tuple or a Response. "
    "current_app.make_response(rv) turns any of them into a Response with a status_code."))
def check_error_filter(ns: Namespace) -> str:
    cacheable = ns.function("cacheable")
    routes = list(ROUTE_SHAPES)

    def explain(found: FailingScenario) -> str:
        path = found.steps[-1].args[0]
        if found.kind == "answer":
            return (f"The first time, the view returned {ROUTE_SHAPES[path]}, and that error was "
                    "cached, so it outlived its cause. The filter must return False for any "
                    "status of 400 or more, whatever shape the view returned.")
        if found.kind == "work":
            shape = "a dict, once the error had gone" if path in ERROR_ROUTES else \
                ROUTE_SHAPES[path]
            return (f"A successful response ({shape}) was not cached: the filter must return "
                    "True for every status below 400, whatever shape the view returned.")
        return (f"Your filter raised it when the view returned {ROUTE_SHAPES[path]}: "
                "response_filter gets what the view returned, which is not always a Response; "
                "current_app.make_response(rv) turns it into one.")

    judge(_error_filter_side("views_error_filter_learner", cacheable),
          _error_filter_side("views_error_filter_truth", None),
          st.sampled_from(routes).map(get_step),
          reference=_error_filter_side("views_error_filter_solution", _solution_filter),
          examples=[[get_step(path), get_step(path)] for path in routes],
          explain=with_advice(explain), budget=Budget(25, 10))
    return ("Successes are cached and errors are not, whether the view returns a dict, a string, "
            "a tuple, a Response, a redirect or calls abort(): on generated sequences, no error "
            "outlived its cause and every success was served from the cache.")


# --- views-per-user ---------------------------------------------------------------------------

BROWSERS = ["A", "B", "C"]
USER_NAMES = {1: "ada", 2: "ben", 3: "chloe", 11: "kai", 12: "lea"}
SIBLINGS = {1: 11, 11: 1, 2: 12, 12: 2, 3: 1}  # ids that share a prefix
USER_URLS = ["/api/me", "/api/me?x=1", "/api/me?user=2"]


def _solution_register_me(app: Flask, cache: Cache) -> None:
    def per_user_key() -> str:
        return f"view/{request.path}/user={session['user_id']}"

    @app.route("/api/me")
    @cache.cached(timeout=60, make_cache_key=per_user_key,
                  unless=lambda: "user_id" not in session)
    def me() -> Any:
        return _current_profile()


def _current_profile() -> Any:
    if "user_id" not in session:
        return {"error": "log in first"}, 401
    return db.session.get(User, session["user_id"]).to_dict()


def _per_user_side(name: str, register: Callable[[Flask, Cache], None] | None
                   ) -> Callable[[], Side]:
    app, cache = _shop_app(name)

    @app.post("/login/<int:user_id>")
    def login(user_id: int) -> Any:
        session["user_id"] = user_id
        return {"logged_in": user_id}

    @app.post("/logout")
    def logout() -> Any:
        session.pop("user_id", None)
        return {"logged_out": True}

    if register is None:
        app.add_url_rule("/api/me", "me", _current_profile)
    else:
        register(app, cache)
    return _Browsers(app, cache).side


def _me(url: str, browser: str) -> Step:
    return Step("GET", f"browser {browser} GET {url}", (url, browser))


def _login(user: int, browser: str) -> Step:
    return Step("login", f"browser {browser} logs in as user {user} ({USER_NAMES[user]})",
                (user, browser))


def _logout(browser: str) -> Step:
    return Step("logout", f"browser {browser} logs out", (None, browser))


def _per_user_steps() -> Steps:
    """Requests, logins and logouts from several browsers; near an earlier step: the same request
    from another browser (possibly with a parameter the view never reads), or a login as a user
    whose id shares a prefix with the earlier one's (1 and 11)."""
    browser = st.sampled_from(BROWSERS)
    fresh = st.one_of(st.builds(_me, st.sampled_from(USER_URLS), browser),
                      st.builds(_login, st.sampled_from(sorted(USER_NAMES)), browser),
                      st.builds(_logout, browser))

    def near(step: Step) -> st.SearchStrategy[Step]:
        if step.kind == "login":
            return st.builds(_login, st.just(SIBLINGS[step.args[0]]), browser)
        return st.builds(_me, st.sampled_from([step.args[0] or "/api/me", *USER_URLS]), browser)

    return Steps(fresh, near)


def _who(steps: Sequence[Step]) -> str:
    """Who made the last request: the user its browser is logged in as, or nobody."""
    users: dict[str, int] = {}
    for step in steps[:-1]:
        if step.kind == "login":
            users[step.args[1]] = step.args[0]
        elif step.kind == "logout":
            users.pop(step.args[1], None)
    user = users.get(steps[-1].args[1])
    return "a logged-out visitor" if user is None else f"user {user}"


@exercise("views-per-user", hint=(
    "Keep @cache.cached, but give it a key that contains the logged-in user: a make_cache_key "
    "(or a callable key_prefix) that reads the user id from the session. A logged-out visitor "
    "has no session['user_id']: read it with session.get('user_id'), or bypass the cache for "
    "them with unless=lambda: 'user_id' not in session."))
def check_per_user(ns: Namespace) -> str:
    register_me = ns.function("register_me")
    learner = _per_user_side("views_per_user_learner",
                             lambda app, cache: _register(ns, register_me, app, cache, "/api/me"))
    logged_out = ("Read the user with session.get('user_id'), or bypass the cache for logged-out "
                  "visitors with unless=lambda: 'user_id' not in session.")

    def explain(found: FailingScenario) -> str:
        who = _who(found.steps)
        if found.kind == "answer" and found.served() is not None:
            return ("The key does not tell {who} apart from whoever made that earlier request: "
                    "it must contain the logged-in user's id, written so that no two ids give "
                    "the same key, and give logged-out visitors a key of their own (or no cache "
                    f"at all). {logged_out}").format(who=who)
        if found.kind == "answer":
            return "The view should return current_profile()."
        if found.kind == "work":
            return ("Each user's repeated request should be a hit. Build the key from the user "
                    "id (and the path) only: not from parameters the view never reads, not from "
                    "something that changes between requests, and not from a query that runs on "
                    "every request; and do not bypass the cache for logged-in users.")
        if who == "a logged-out visitor":
            return ("A logged-out visitor's request: there is no session['user_id'] before "
                    f"login. {logged_out}")
        return _other_cache_advice()

    explicit = [[_login(1, "A"), _me("/api/me", "A"), _me("/api/me", "B")],
                [_me("/api/me", "A"), _login(1, "A"), _me("/api/me", "A")],
                [_login(1, "A"), _me("/api/me", "A"), _me("/api/me", "A")],
                [_login(1, "A"), _me("/api/me", "A"), _login(11, "B"), _me("/api/me", "B")],
                [_login(1, "A"), _me("/api/me", "A"), _me("/api/me?x=1", "A")]]
    judge(learner, _per_user_side("views_per_user_truth", None), _per_user_steps(),
          reference=_per_user_side("views_per_user_solution", _solution_register_me),
          examples=explicit, explain=with_advice(explain), budget=Budget(40, 8))
    return ("Each user gets their own profile, each profile is cached (one query per user), and "
            "a logged-out visitor gets neither a crash nor someone else's page, on generated "
            "sequences of logins, logouts and requests from several browsers.")
