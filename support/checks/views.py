"""Checkers for lesson 01 (caching views).

How they judge: by **cache transparency**. A cached view is correct when it answers exactly what
the same view without a cache answers, whatever came before, while saving at least the work the
worked solution saves. Each checker builds three apps that share the sample shop: the learner's
(cached), the worked solution's (cached) and a reference (the same view, no cache). Hypothesis
generates request sequences (derandomised and bounded, so a learner gets the same verdict on every
run) that reach the edges: absent, empty, repeated, differently cased, signed or zero-padded
parameters, unknown values, parameters the view never reads, several users, logged-out visitors,
failing views that recover. Before the generated sequences, a systematic set plays every way a
key can go wrong (absent vs empty, case, spelling, order, junk, ...) on a few plain requests, so no
edge depends on the luck of the draw. Every step goes to the three apps; the learner's answer
(status and body) must equal the reference's, the learner's work so far (SQL queries or view
calls) must never exceed the worked solution's, and where the exercise bounds it, neither may the
number of entries. A failing sequence is shortened (steps dropped, requests simplified, as long as
it still fails), and the hint names it: "`GET /api/products` then `GET /api/products?category=`:
the second was served the first's body".

:func:`judge_transparency` is that core; the rest of the module describes each exercise's apps,
steps and advice.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, current_app, jsonify, make_response, redirect, request, session
from flask_caching import Cache
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from support.backends import simple_config
from support.data import Product, User, count_queries, db, init_shop
from support.grading import Fail, Namespace, exercise

PAGE_SIZE = 10

# --- the transparency core ------------------------------------------------------------------

Answer = tuple[int, bytes]  # status code and body


@dataclass
class Site:
    """One app under test: the learner's, the worked solution's, or the uncached reference."""

    name: str
    app: Flask
    cache: Cache | None
    browsers: Sequence[str]
    work: int = 0
    state: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)

    def reset(self) -> None:
        """A cold cache, new browsers (no cookies), no work done, a fresh world state."""
        if self.cache is not None:
            with self.app.app_context():
                self.cache.clear()  # a SimpleCache of the checker's own
        self.work = 0
        self.state.clear()
        self.clients = {name: self.app.test_client() for name in self.browsers}

    def get(self, browser: str, url: str, *, count: str = "queries") -> Answer:
        """GET url from one browser; add its SQL queries (or nothing) to ``work``."""
        with count_queries() as queries:
            response = self.clients[browser].get(url)
        if count == "queries":
            self.work += queries.count
        return response.status_code, response.get_data()


@dataclass(frozen=True)
class Scenario:
    """What judge_transparency needs to know about one exercise."""

    steps: Any  # a Hypothesis strategy of step lists
    apply: Callable[[Site, Any], Answer | None]  # do one step on a site; None if not a request
    describe: Callable[[Any], str]  # one step, for the hint: "`GET /api/products?page=2`"
    work: str = "ran the query again"  # what an unnecessary miss does, for the hint
    explain_merge: Callable[[Any, Any], str] = lambda earlier, step: ""
    explain_split: Callable[[Any, Any | None], str] = lambda earlier, step: ""
    explain_error: Callable[[Any, str], str] = lambda step, error: ""
    explain_wrong: Callable[[Any, Answer, Answer], str] = lambda step, got, wanted: ""
    simplify: Callable[[list[Any]], list[list[Any]]] = lambda steps: []  # simpler sequences
    # Sequences played before the generated ones: every way a key can go wrong, applied to a
    # few plain requests, so that no edge depends on the luck of the draw.
    systematic: list[list[Any]] = field(default_factory=list)
    # The number of entries a site holds, when the exercise bounds it (None: not checked).
    entries: Callable[[Site], int] | None = None


def _sequence(descriptions: list[str]) -> str:
    if len(descriptions) == 1:
        return descriptions[0]
    return ", ".join(descriptions[:-1]) + " then " + descriptions[-1]


def _then(advice: str) -> str:
    """Advice appended to a hint: a space first, or nothing when there is none."""
    return f" {advice}" if advice else ""


def _short(answer: Answer) -> str:
    status, body = answer
    text = " ".join(body.decode(errors="replace").split())
    return f"{status} {text[:70] + '…' if len(text) > 70 else text}"


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


def run_steps(scenario: Scenario, learner: Site, solution: Site, reference: Site,
              steps: Sequence[Any]) -> None:
    """Play one sequence on the three sites; raise :class:`Fail` at the first step that shows a
    mistake (an answer the uncached view would not give, more work than the worked solution, an
    exception, or an error Flask-Caching logged)."""
    for site in (learner, solution, reference):
        site.reset()
    done: list[str] = []
    answers: list[tuple[int, Any, Answer]] = []  # requests so far: index, step, reference answer
    with _cache_errors() as errors:
        for step in steps:
            done.append(scenario.describe(step))
            wanted = scenario.apply(reference, step)
            scenario.apply(solution, step)
            errors.clear()
            try:
                got = scenario.apply(learner, step)
            except (Fail, RecursionError):
                raise
            except Exception as exc:
                where = traceback.extract_tb(exc.__traceback__)[-1].filename
                text = f"{type(exc).__name__}: {exc}"
                if f"{os.sep}flask_caching{os.sep}" not in where:
                    it = "the last" if len(done) > 1 else "it"
                    raise Fail(f"{_sequence(done)}: {it} raised {text}."
                               f"{_then(scenario.explain_error(step, text))}") from None
                errors.append(text)
            if errors:
                during = "the last" if len(done) > 1 else "it"
                raise Fail(f"{_sequence(done)}: the cache failed during {during} ({errors[0]}); "
                           "Flask-Caching logged it and ran the view without the cache (in debug "
                           f"mode it raises).{_then(scenario.explain_error(step, errors[0]))}")
            if wanted is None:
                continue
            last = "it" if len(done) == 1 else "the second" if len(done) == 2 else "the last"
            if got != wanted:
                earlier = [(i, s) for i, s, a in answers if a == got]
                if earlier:
                    i, first = earlier[-1]
                    which = "the first's body" if len(done) == 2 else \
                        f"the body of step {i + 1}, {scenario.describe(first)}"
                    raise Fail(f"{_sequence(done)}: {last} was served {which} "
                               f"({_short(got)}), but without a cache it answers "
                               f"{_short(wanted)}.{_then(scenario.explain_merge(first, step))}")
                raise Fail(f"{_sequence(done)}: {last} answered {_short(got)}, but the same "
                           f"view without a cache answers {_short(wanted)}."
                           f"{_then(scenario.explain_wrong(step, got, wanted))}")
            answers.append((len(done) - 1, step, wanted))
            if learner.work > solution.work:
                alike = [s for _, s, a in answers[:-1] if a == wanted]
                twin = alike[-1] if alike else None
                again = last
                tail = (f", though the view answers it exactly as {scenario.describe(twin)}"
                        if twin is not None and scenario.describe(twin) != done[-1] else "")
                raise Fail(f"{_sequence(done)}: {again} {scenario.work}, where the worked "
                           f"solution answered it from the cache{tail}."
                           f"{_then(scenario.explain_split(twin, step))}")
            if scenario.entries is not None and \
                    scenario.entries(learner) > scenario.entries(solution):
                raise Fail(f"{_sequence(done)}: your cache holds {scenario.entries(learner)} "
                           f"entries after these requests, the worked solution's "
                           f"{scenario.entries(solution)}: each request should store at most one "
                           "entry, under a key that depends only on what the view reads.")


def judge_transparency(scenario: Scenario, learner: Site, solution: Site, reference: Site,
                       max_examples: int = 40) -> None:
    """Generate step sequences with Hypothesis and play each on the three sites (see
    :func:`run_steps`). On a mistake, shorten the failing sequence (drop steps, then simplify
    them, as long as it still fails) and raise the :class:`Fail` of the shortest one.

    Hypothesis' own shrinker is thorough but can take seconds; this greedy pass over concrete
    steps takes a few dozen runs of at most eight steps, so a check stays well under two
    seconds."""
    failing: list[Any] = []
    for steps in scenario.systematic:
        try:
            run_steps(scenario, learner, solution, reference, steps)
        except Fail:
            raise _shortest(scenario, learner, solution, reference, list(steps)) from None

    @settings(derandomize=True, database=None, deadline=None, max_examples=max_examples,
              verbosity=Verbosity.quiet, report_multiple_bugs=False, print_blob=False,
              phases=(Phase.explicit, Phase.generate),
              suppress_health_check=list(HealthCheck))
    @given(scenario.steps)
    def scenario_holds(steps: list[Any]) -> None:
        try:
            run_steps(scenario, learner, solution, reference, steps)
        except Fail:
            failing[:] = [list(steps)]
            raise

    try:
        scenario_holds()
    except Fail as exc:
        if not failing:
            raise Fail(str(exc)) from None
        raise _shortest(scenario, learner, solution, reference, failing[0]) from None


def _shortest(scenario: Scenario, learner: Site, solution: Site, reference: Site,
              steps: list[Any]) -> Fail:
    """The Fail of the shortest sequence found from ``steps`` by dropping and simplifying."""

    def fails(candidate: list[Any]) -> Fail | None:
        try:
            run_steps(scenario, learner, solution, reference, candidate)
        except Fail as exc:
            return exc
        return None

    best, failure = steps, fails(steps)
    if failure is None:  # pragma: no cover - a learner's nondeterministic code
        return Fail("your code answered differently on two runs of the same requests: "
                    "does the key or the view depend on something that changes?")
    improved = True
    while improved:
        improved = False
        candidates = [best[:i] + best[i + 1:] for i in range(len(best))]
        candidates += scenario.simplify(best)
        for candidate in candidates:
            if candidate and (found := fails(candidate)) is not None:
                best, failure, improved = candidate, found, True
                break
    return failure


def _sequences(action: Any, min_size: int = 1, max_size: int = 8) -> Any:
    return st.lists(action, min_size=min_size, max_size=max_size)


# --- the shop apps ----------------------------------------------------------------------------


def _shop_app(name: str, cached: bool = True) -> tuple[Flask, Cache | None]:
    """A fresh app with the sample shop and (when cached) a SimpleCache of its own."""
    app = Flask(name)
    app.config.update(simple_config(CACHE_DEFAULT_TIMEOUT=60))
    app.config["SECRET_KEY"] = "grading-only"
    app.testing = True  # the learner's exceptions reach the checker instead of a 500 page
    cache = None
    if cached:
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


def _solution_listing_key() -> str:
    page = request.args.get("page", 1, type=int)
    category = request.args.get("category")
    return f"view/{request.path}?page={page}&category={category!r}"


# --- listing scenarios --------------------------------------------------------------------------

ABSENT = None
# Absent comes first (the simplest) and more often than any single value.
PAGES = [ABSENT, ABSENT, ABSENT, "1", "2", "", "01", "+1", "abc", "11", "0", " 2"]
CATEGORIES = [ABSENT, ABSENT, ABSENT, "", "books", "Books", "None", "books ", "1", "toys", "nope"]
JUNK = [ABSENT, ABSENT, ABSENT, ("utm_source", "mail"), ("x", "1"), ("Page", "2"),
        ("CATEGORY", "books"), ("sort", "price")]
Pairs = tuple[tuple[str, str], ...]


def _get_arg(pairs: Pairs, name: str) -> str | None:
    return next((v for n, v in pairs if n == name), None)


def _set_arg(pairs: Pairs, name: str, value: str | None) -> Pairs:
    """pairs with every `name` removed, then `name=value` added (unless value is None)."""
    kept = tuple(p for p in pairs if p[0] != name)
    return kept if value is None else (*kept, (name, value))


def _twin(pairs: Pairs, how: str) -> Pairs:
    """A request that differs from `pairs` in one way a key function can get wrong."""
    page, category = _get_arg(pairs, "page"), _get_arg(pairs, "category")
    if how == "same":
        return pairs
    if how == "reversed":
        return tuple(reversed(pairs))
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
    if how == "digit shift":  # ?page=11 <-> ?page=1&category=1
        if category is None:
            page = page or "11"
            return _set_arg(_set_arg(pairs, "page", page[:-1] or "1"), "category", page[-1])
        return _set_arg(_set_arg(pairs, "category", None), "page", (page or "1") + category)
    raise ValueError(how)


TWINS = ["same", "absent/empty", "absent/None", "case", "space", "page spelling", "page sign",
         "page absent", "reversed", "junk", "digit shift"]


def _unique_names(pairs: Pairs) -> Pairs:
    seen: set[str] = set()
    return tuple(p for p in pairs if not (p[0] in seen or seen.add(p[0])))  # type: ignore[func-returns-value]


def _listing_steps(paths: Sequence[str], repeated: bool = True) -> Any:
    """Lists of ("GET", path, query pairs). A step is either a fresh request (page, category, a
    parameter the view never reads, a second category, each possibly absent, in either order)
    or a twin of an earlier one that differs in one way a key can get wrong (absent vs empty,
    case, spelling of the page, order, a junk parameter, ...). With ``repeated=False`` no
    parameter appears twice in one query string."""
    fresh = st.tuples(st.just("GET"), st.sampled_from(list(paths)), st.sampled_from(PAGES),
                      st.sampled_from(CATEGORIES), st.sampled_from(JUNK),
                      st.sampled_from([ABSENT, "toys"] if repeated else [ABSENT]),
                      st.booleans())
    twin = st.tuples(st.just("twin"), st.integers(0, 7), st.sampled_from(TWINS))  # 0: previous

    def resolve(raw: list[tuple[Any, ...]]) -> list[tuple[str, str, Pairs]]:
        steps: list[tuple[str, str, Pairs]] = []
        for item in raw:
            if item[0] == "GET":
                _, path, page, category, junk, second, backwards = item
                pairs: Pairs = tuple(p for p in (
                    ("page", page) if page is not None else None,
                    ("category", category) if category is not None else None,
                    junk,
                    ("category", second) if second is not None else None) if p is not None)
                if backwards:
                    pairs = tuple(reversed(pairs))
            elif steps:
                _, path, earlier = steps[-1 - item[1] % len(steps)]
                pairs = _twin(earlier, item[2])
            else:
                continue
            steps.append(("GET", path, pairs if repeated else _unique_names(pairs)))
        return steps

    first_and_more = st.tuples(fresh, _sequences(st.one_of(twin, fresh), min_size=1, max_size=7))
    return first_and_more.map(lambda raw: resolve([raw[0], *raw[1]]))


SIMPLER_VALUES = {"page": ["1", "2", "abc"], "category": ["", "books", "toys"]}


LISTING_BASES: list[Pairs] = [(), (("category", "books"),), (("category", ""),), (("page", "11"),)]


def _listing_systematic(paths: Sequence[str], repeated: bool = True) -> list[list[Any]]:
    """Each plain request followed by each of its twins, and each path after the first."""
    out: list[list[Any]] = []
    for pairs in LISTING_BASES:
        for how in TWINS[1:]:
            twin = _twin(pairs, how)
            out.append([("GET", paths[0], pairs),
                        ("GET", paths[0], twin if repeated else _unique_names(twin))])
        out += [[("GET", paths[0], pairs), ("GET", other, pairs)] for other in paths[1:]]
    if repeated:
        out.append([("GET", paths[0], (("category", "books"), ("category", "toys"))),
                    ("GET", paths[0], (("category", "toys"), ("category", "books")))])
    return out


def _simpler_listing(steps: list[Any]) -> list[list[Any]]:
    """Simpler versions of a sequence of listing requests, simplest changes first: one
    parameter dropped everywhere, one path for all, one query pair dropped, one value replaced
    by a plainer one everywhere it occurs."""
    names = sorted({n for _, _, pairs in steps for n, _ in pairs})
    out = [[(m, path, tuple(p for p in pairs if p[0] != name)) for m, path, pairs in steps]
           for name in names]
    out.append([(m, "/api/products", pairs) for m, _, pairs in steps])
    for i, (m, path, pairs) in enumerate(steps):
        for j in range(len(pairs)):
            out.append(steps[:i] + [(m, path, pairs[:j] + pairs[j + 1:])] + steps[i + 1:])
    for name, value in sorted({p for _, _, pairs in steps for p in pairs}):
        plainer = SIMPLER_VALUES.get(name, [])
        for plain in plainer[:plainer.index(value)] if value in plainer else plainer:
            out.append([(m, path, tuple((n, plain) if (n, v) == (name, value) else (n, v)
                                            for n, v in pairs)) for m, path, pairs in steps])
    return [candidate for candidate in out if candidate != steps]


def _url(step: tuple[str, str, tuple[tuple[str, str], ...]]) -> str:
    _, path, pairs = step
    return path + ("?" + urlencode(pairs) if pairs else "")


def _describe_get(step: Any) -> str:
    return f"`GET {_url(step)}`"


class _ListingWorld:
    """Plays listing steps. The learner's app gets every request. The reference (no cache) is
    asked once per distinct URL: its answer depends on the URL only. The worked solution is
    modelled by its key: a request whose key it has not seen yet is a miss that runs the
    listing's one query. That keeps a check well under two seconds."""

    def __init__(self, solution_key: Callable[[], Any]) -> None:
        self.solution_key = solution_key
        self.answers: dict[str, Answer] = {}
        self.keys: dict[str, Any] = {}

    def apply(self, site: Site, step: Any) -> Answer | None:
        url = _url(step)
        if site.name == "reference":
            if url not in self.answers:
                self.answers[url] = site.get("browser", url)
            return self.answers[url]
        if site.name == "solution":
            if url not in self.keys:
                with site.app.test_request_context(url):
                    self.keys[url] = self.solution_key()
            seen = site.state.setdefault("keys", set())
            if self.keys[url] not in seen:
                seen.add(self.keys[url])
                site.work += 1
            return None
        return site.get("browser", url)


def _listing_entries(site: Site) -> int:
    """Entries in the learner's SimpleCache, or the distinct keys the solution model stored."""
    if site.cache is not None:
        return len(site.cache.cache._cache)  # type: ignore[attr-defined]
    return len(site.state.get("keys", ()))


def _query_string_key() -> Any:
    """What query_string=True keys on: the path and the sorted query pairs."""
    return request.path, tuple(sorted(request.args.items(multi=True)))


def _listing_sites(name: str, decorate: Callable[[Flask, Cache], None],
                   paths: Sequence[str]) -> tuple[Site, Site, Site]:
    """The learner's app (routes added by ``decorate``), the worked solution's (modelled by its
    key, see _ListingWorld) and the uncached reference."""
    discounts = {"/api/products": 1.0, "/api/sale": 0.5}
    learner_app, learner_cache = _shop_app(f"{name}_learner")
    decorate(learner_app, learner_cache)  # type: ignore[arg-type]
    reference_app, _ = _shop_app(f"{name}_reference", cached=False)
    for path in paths:
        view = (lambda d: lambda: _listing(d))(discounts[path])
        reference_app.add_url_rule(path, path.strip("/").replace("/", "_"), view)
    browsers = ["browser"]
    return (Site("learner", learner_app, learner_cache, browsers),
            Site("solution", reference_app, None, browsers),
            Site("reference", reference_app, None, browsers))


def _listing_advice(earlier: Any, step: Any) -> str:
    """Why two listing URLs the view answers differently ended up under one key."""
    _, path1, pairs1 = earlier
    _, path2, pairs2 = step
    if path1 != path2:
        return ("Two views at different paths share entries: put request.path in the key.")
    args1, args2 = dict(pairs1), dict(pairs2)
    if ("category" in args1) != ("category" in args2):
        present = args1.get("category", args2.get("category"))
        return (f"The view filters on `category` whenever it is present, even as {present!r}, "
                "and lists everything when it is absent: the key must tell an absent category "
                "from that value.")
    if args1.get("category") != args2.get("category"):
        return ("The view filters on the exact text of `category` (no lower-casing, no "
                "stripping), so each spelling needs its own key.")
    return ("The key merges requests for different pages: build it from page (as an int, the "
            "way the view parses it) and category.")


def _split_advice(twin: Any, step: Any) -> str:
    if twin is None:
        return ("A repeated request should be a hit: is the view cached, with a key that does not "
                "change between identical requests?")
    names1 = [n for n, _ in twin[2]]
    names2 = [n for n, _ in step[2]]
    if sorted(twin[2]) == sorted(step[2]):
        return ("The same parameters in another order should give the same key: build it from "
                "the values, not from the raw query string.")
    if {"page", "category"} & set(names1) == {"page", "category"} & set(names2) and \
            set(names1) != set(names2):
        return ("The key contains a parameter the view never reads, so every junk parameter "
                "makes a new entry: build it from page and category only.")
    return ("The view parses `page` as a number (`01`, `+1` and `1` are the same page, and a "
            "page that is not a number is page 1): parse it the same way in the key, "
            "request.args.get('page', 1, type=int).")


# --- views-query-string -----------------------------------------------------------------------


@exercise("views-query-string", hint=(
    "The default key of @cache.cached is 'view/' + the path, and the query string is not part "
    "of the path. One argument of cached() adds the query string to the key."))
def check_query_string(ns: Namespace) -> str:
    register_listing = ns.function("register_listing")
    paths = ["/api/products"]
    learner, solution, reference = _listing_sites(
        "views_query_string",
        lambda app, cache: _register(ns, register_listing, app, cache, "/api/products"), paths)
    _nothing_cached(learner, "/api/products?page=2")
    # The worked solution is query_string=True, which sorts the query pairs: it merges
    # ?category=books&category=toys with ?category=toys&category=books although the view reads
    # the first value (the lesson shows it), so this exercise repeats no parameter.
    world = _ListingWorld(_query_string_key)
    scenario = Scenario(
        steps=_listing_steps(paths, repeated=False), apply=world.apply, describe=_describe_get,
        simplify=_simpler_listing, systematic=_listing_systematic(paths, repeated=False),
        entries=_listing_entries,
        explain_merge=lambda earlier, step: (
            "The cache key does not tell these URLs apart. The default key of @cache.cached is "
            "the path only: add the query string to the key (query_string=True), or build the "
            "key from every parameter the view reads. " + _listing_advice(earlier, step)),
        explain_split=_split_advice, explain_error=_other_cache_advice,
        explain_wrong=lambda step, got, wanted: "Return listing() from the view.")
    judge_transparency(scenario, learner, solution, reference, max_examples=35)
    return ("Each page and each filter gets its own cache entry with the right body, and a "
            "repeated request runs no query.")


def _other_cache_advice(step: Any, error: str) -> str:
    return ("Decorate the view with the `cache` your function receives as an argument, not "
            "another Cache object.")


def _nothing_cached(site: Site, url: str) -> None:
    """A quick first probe, for a clearer hint than a generated sequence gives."""
    site.reset()
    with _cache_errors() as errors:
        try:
            for _ in range(3):
                site.get("browser", url)
        except Exception:
            return  # the generated scenarios report it with the sequence
    if not errors and site.work >= 3:
        raise Fail(f"nothing was cached: `GET {url}` three times ran the query three times. Is "
                   "@cache.cached directly above the view function, below @app.route? (Above "
                   "it, Flask registers the undecorated function.)")


# --- views-allow-list -------------------------------------------------------------------------


@exercise("views-allow-list", hint=(
    "Read the two parameters the way the view reads them: page with request.args.get('page', 1, "
    "type=int); category with request.args.get('category'), which is None when it is absent "
    "(the view tells absent from empty). Return one string made of request.path and those two "
    "values only, written so that different values never give the same text (repr helps)."))
def check_allow_list(ns: Namespace) -> str:
    listing_key = ns.function("listing_key")
    probe, _ = _shop_app("views_allow_list_probe", cached=False)
    for url in ["/api/products?page=2&category=toys", "/api/products"]:
        with probe.test_request_context(url):
            key = ns.call(listing_key)
        if not isinstance(key, str):
            raise Fail(f"listing_key() should return a string, but for {url} it returned a "
                       f"{type(key).__name__} ({key!r}).")
    paths = ["/api/products", "/api/sale"]

    def decorate(app: Flask, cache: Cache) -> None:
        for path, discount in [("/api/products", 1.0), ("/api/sale", 0.5)]:
            view = (lambda d: lambda: _listing(d))(discount)
            app.add_url_rule(path, path.strip("/").replace("/", "_"),
                             cache.cached(timeout=60, make_cache_key=listing_key)(view))

    learner, solution, reference = _listing_sites("views_allow_list", decorate, paths)

    def key_error(step: Any, error: str) -> str:
        return (f"listing_key() must work for every request: it raised {error} for "
                f"{_describe_get(step)}. The view reads a page that is not a number as "
                "request.args.get('page', 1, type=int), which falls back to 1: parse it the same "
                "way in the key, so it never raises.")

    def merge(earlier: Any, step: Any) -> str:
        keys = []
        for s in (earlier, step):
            with probe.test_request_context(_url(s)):
                keys.append(listing_key())
        return f"Your listing_key() gave both the key {keys[0]!r}. " + _listing_advice(earlier,
                                                                                       step)

    def split(twin: Any, step: Any) -> str:
        if twin is None:
            return _split_advice(twin, step)
        keys = []
        for s in (twin, step):
            with probe.test_request_context(_url(s)):
                keys.append(listing_key())
        return f"Your listing_key() gave {keys[0]!r} and {keys[1]!r}. " + _split_advice(twin,
                                                                                         step)

    world = _ListingWorld(_solution_listing_key)
    scenario = Scenario(steps=_listing_steps(paths), apply=world.apply,
                        describe=_describe_get, simplify=_simpler_listing,
                        systematic=_listing_systematic(paths), entries=_listing_entries,
                        explain_merge=merge, explain_split=split, explain_error=key_error)
    judge_transparency(scenario, learner, solution, reference, max_examples=60)
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


def _error_filter_site(name: str, response_filter: Callable[[Any], Any] | None) -> Site:
    app, cache = _shop_app(name, cached=response_filter is not None)
    site = Site(name, app, cache, ["browser"])

    def add(path: str, body: Callable[[], Any], fails_first: bool) -> None:
        def view() -> Any:
            site.work += 1
            if fails_first and site.state.get(path, 0) > 1:
                return {"recovered": path}
            return body()

        if cache is not None:
            view = cache.cached(timeout=60, response_filter=response_filter)(view)
        app.add_url_rule(path, path.strip("/").replace("-", "_"), view)

    @app.before_request
    def count_requests() -> None:
        site.state[request.path] = site.state.get(request.path, 0) + 1

    for path, (_, body) in OK_ROUTES.items():
        add(path, body, False)
    for path, (_, body) in ERROR_ROUTES.items():
        add(path, body, True)
    return site


@exercise("views-error-filter", hint=(
    "response_filter receives what the view returned: a dict, a string, a tuple or a Response. "
    "current_app.make_response(rv) turns any of them into a Response with a status_code."))
def check_error_filter(ns: Namespace) -> str:
    cacheable = ns.function("cacheable")
    learner = _error_filter_site("views_error_filter_learner", cacheable)
    solution = _error_filter_site("views_error_filter_solution", _solution_filter)
    reference = _error_filter_site("views_error_filter_reference", None)
    routes = list(ROUTE_SHAPES)

    def describe(path: str) -> str:
        return f"`GET {path}`"

    def simplify(steps: list[str]) -> list[list[str]]:
        """The same sequence with every request to one route sent to an earlier route."""
        return [[routes[j] if p == path else p for p in steps]
                for path in sorted(set(steps), key=routes.index)
                for j in range(routes.index(path))]

    def apply(site: Site, path: str) -> Answer:
        return site.get("browser", path, count="calls")

    def filter_raised(path: str, error: str) -> str:
        return (f"Your filter raised it when the view returned {ROUTE_SHAPES[path]}: "
                "response_filter gets what the view returned, which is not always a Response; "
                "current_app.make_response(rv) turns it into one.")

    scenario = Scenario(
        steps=_sequences(st.sampled_from(routes), min_size=1, max_size=10),
        apply=apply, describe=describe, work="called the view again", simplify=simplify,
        systematic=[[path, path] for path in routes],
        explain_merge=lambda earlier, path: (
            f"The first time, the view returned {ROUTE_SHAPES[path]}, and that error was cached, "
            "so it outlived its cause. The filter must return False for any status of 400 or "
            "more, whatever shape the view returned."),
        explain_split=lambda twin, path: (
            "A successful response ("
            + ("a dict, once the error had gone" if path in ERROR_ROUTES else ROUTE_SHAPES[path])
            + ") was not cached: the filter must return True for every status below 400, "
            "whatever shape the view returned."),
        explain_error=filter_raised)
    judge_transparency(scenario, learner, solution, reference)
    return ("Successes are cached and errors are not, whether the view returns a dict, a string, "
            "a tuple, a Response, a redirect or calls abort(): on generated sequences, no error "
            "outlived its cause and every success was served from the cache.")


# --- views-per-user ---------------------------------------------------------------------------

BROWSERS = ["A", "B", "C"]
USER_NAMES = {1: "ada", 2: "ben", 3: "chloe", 11: "kai", 12: "lea"}
SIBLINGS = {1: 11, 11: 1, 2: 12, 12: 2, 3: 1}  # ids that share a prefix


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


def _per_user_site(name: str, register: Callable[[Flask, Cache], None] | None) -> Site:
    app, cache = _shop_app(name, cached=register is not None)

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
        register(app, cache)  # type: ignore[arg-type]
    return Site(name, app, cache, BROWSERS)


USER_URLS = ["/api/me", "/api/me?x=1", "/api/me?user=2"]
USER_IDS = [1, 2, 3, 11, 12]


def _per_user_steps() -> Any:
    """Lists of steps: ("login", browser, user id), ("logout", browser), ("get", browser, url),
    "again": the previous request, from the same or another browser, possibly with a
    parameter the view never reads, and "sibling": a login as a user whose id shares a prefix
    with the last one logged in (1 and 11)."""
    browser = st.sampled_from(BROWSERS)
    action = st.one_of(
        st.tuples(st.just("get"), browser, st.sampled_from(USER_URLS)),
        st.tuples(st.just("login"), browser, st.sampled_from(USER_IDS)),
        st.tuples(st.just("again"), browser, st.sampled_from(USER_URLS)),
        st.tuples(st.just("logout"), browser),
        st.tuples(st.just("sibling"), browser))

    def resolve(raw: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        steps: list[tuple[Any, ...]] = []
        for item in raw:
            if item[0] == "again":
                earlier = [s for s in steps if s[0] == "get"]
                item = ("get", earlier[-1][1] if earlier else item[1], item[2])
            elif item[0] == "sibling":  # log in as a user whose id shares the last one's prefix
                logins = [s[2] for s in steps if s[0] == "login"]
                item = ("login", item[1], SIBLINGS[logins[-1]] if logins else 11)
            steps.append(item)
        return steps

    return _sequences(action, min_size=1, max_size=8).map(resolve)


def _simpler_user_steps(steps: list[tuple[Any, ...]]) -> list[list[tuple[Any, ...]]]:
    """Simpler sequences: one browser replaced by an earlier one everywhere, one URL by a
    plainer one, one user id by a smaller one."""
    out = []
    for old, plainer in (("browser", BROWSERS), ("url", USER_URLS), ("uid", USER_IDS)):
        slot = {"browser": 1, "url": 2, "uid": 2}[old]
        kind = {"browser": None, "url": "get", "uid": "login"}[old]
        used = sorted({s[slot] for s in steps if len(s) > slot and (kind is None or s[0] == kind)},
                      key=plainer.index)
        for value in used:
            for simpler in plainer[:plainer.index(value)]:
                out.append([s[:slot] + (simpler,) + s[slot + 1:]
                            if len(s) > slot and s[slot] == value
                            and (kind is None or s[0] == kind) else s for s in steps])
    return out


def _describe_user_step(step: tuple[Any, ...]) -> str:
    if step[0] == "login":
        return f"browser {step[1]} logs in as user {step[2]} ({USER_NAMES[step[2]]})"
    if step[0] == "logout":
        return f"browser {step[1]} logs out"
    return f"browser {step[1]} `GET {step[2]}`"


def _apply_user_step(site: Site, step: tuple[Any, ...]) -> Answer | None:
    client = site.clients[step[1]]
    if step[0] == "login":
        client.post(f"/login/{step[2]}")
        site.state[step[1]] = step[2]
        return None
    if step[0] == "logout":
        client.post("/logout")
        site.state.pop(step[1], None)
        return None
    return site.get(step[1], step[2])


@exercise("views-per-user", hint=(
    "Keep @cache.cached, but give it a key that contains the logged-in user: a make_cache_key "
    "(or a callable key_prefix) that reads the user id from the session. A logged-out visitor "
    "has no session['user_id']: read it with session.get('user_id'), or bypass the cache for "
    "them with unless=lambda: 'user_id' not in session."))
def check_per_user(ns: Namespace) -> str:
    register_me = ns.function("register_me")
    learner = _per_user_site("views_per_user_learner",
                             lambda app, cache: _register(ns, register_me, app, cache, "/api/me"))
    solution = _per_user_site("views_per_user_solution", _solution_register_me)
    reference = _per_user_site("views_per_user_reference", None)
    logged_out = ("Read the user with session.get('user_id'), or bypass the cache for logged-out "
                  "visitors with unless=lambda: 'user_id' not in session.")

    def who(step: tuple[Any, ...]) -> str:
        return "a logged-out visitor" if step[1] not in learner.state else \
            f"user {learner.state[step[1]]}"

    def merge(earlier: tuple[Any, ...], step: tuple[Any, ...]) -> str:
        return (f"The key does not tell {who(step)} apart from whoever made that earlier "
                "request: it must contain the logged-in user's id, written so that no two ids "
                "give the same key, and give logged-out visitors a key of their own (or no "
                f"cache at all). {logged_out}")

    def error(step: tuple[Any, ...], text: str) -> str:
        if step[1] not in learner.state:
            return (f"A logged-out visitor's request: there is no session['user_id'] before "
                    f"login. {logged_out}")
        return _other_cache_advice(step, text)

    scenario = Scenario(
        steps=_per_user_steps(), simplify=_simpler_user_steps,
        systematic=[[("login", "A", 1), ("get", "A", "/api/me"), ("get", "B", "/api/me")],
                    [("get", "A", "/api/me"), ("login", "A", 1), ("get", "A", "/api/me")],
                    [("login", "A", 1), ("get", "A", "/api/me"), ("login", "B", 11),
                     ("get", "B", "/api/me")],
                    [("login", "A", 1), ("get", "A", "/api/me"), ("get", "A", "/api/me?x=1")]],
        apply=_apply_user_step, describe=_describe_user_step, explain_merge=merge,
        explain_split=lambda twin, step: (
            "Each user's repeated request should be a hit. Build the key from the user id "
            "(and the path) only: not from parameters the view never reads, not from "
            "something that changes between requests, and not from a query that runs on every "
            "request; and do not bypass the cache for logged-in users."),
        explain_error=error,
        explain_wrong=lambda step, got, wanted: "The view should return current_profile().")
    judge_transparency(scenario, learner, solution, reference, max_examples=60)
    return ("Each user gets their own profile, each profile is cached (one query per user), and "
            "a logged-out visitor gets neither a crash nor someone else's page, on generated "
            "sequences of logins, logouts and requests from several browsers.")
