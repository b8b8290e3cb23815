"""Checkers for lesson 05 (template fragments), judged by cache transparency.

A fragment cache is correct when every page it renders is exactly the page the same template
renders without caching, for every user and language, whatever happened before, while it saves
at least the work the worked solution saves. Each checker renders the learner's templates three
ways on the same generated sequence of requests, data writes and invalidations:

- ``cached``: the learner's templates with Flask-Caching's ``{% cache %}`` (SimpleCache);
- ``plain``: the same templates with a ``{% cache %}`` tag that only renders its body;
- ``model``: the worked solution's templates, cached (how much work a good answer saves).

Hypothesis generates the sequences (derandomised: the same verdict on every run; bounded, so a
check takes well under a second once loaded) after a few hand-picked classic mistakes, and
shrinks a failure to the shortest sequence. A judge raises ``Fail`` whose message tells that
sequence as a story, which is the hint: "user 1 (ada) views the sidebar, then user 11 (ada)
views the sidebar: user 11 (ada) saw user 1's sidebar. ...". After every data write the judge
also probes every page (without leaving a trace), so stale and over-deleted fragments show.
"""

from __future__ import annotations

import atexit
import math
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import cache as cache_once
from typing import Any

from flask import Flask
from flask_caching import Cache, make_template_fragment_key
from flask_caching.jinja2ext import CacheExtension
from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import configuration as hypothesis_configuration
from hypothesis import strategies as st
from jinja2 import DictLoader, Template, TemplateSyntaxError, UndefinedError

from support.backends import simple_config
from support.grading import Fail, Namespace, exercise

LANGUAGES = ("en", "fr")
_STRING_FIX = ("The values a {% cache %} tag varies on must be strings (Flask-Caching joins them "
               "with '_'.join): apply Jinja's string filter, e.g. current_user.id|string.")
# Bounded and derandomised: the same verdict on every run, and check() well under 2 s.
_SEARCH = settings(derandomize=True, database=None, deadline=None, max_examples=60,
                   suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                   report_multiple_bugs=False)


# --- the shop the templates see --------------------------------------------------------------


class _User:
    """A logged-in user as Flask-Login gives it: an int ``id``, a ``name``, ``get_id()``."""

    is_authenticated = True

    def __init__(self, id: int, name: str) -> None:
        self.id, self.name = id, name

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class _Guest:
    """A logged-out visitor (Flask-Login's AnonymousUserMixin): no ``id``, ``get_id()`` is None."""

    is_authenticated = False
    name = "guest"

    def get_id(self) -> None:
        return None

    def __repr__(self) -> str:
        return "<Guest>"


class _Product:
    def __init__(self, id: int, name: str) -> None:
        self.id, self.name = id, name

    def __repr__(self) -> str:
        return f"<Product {self.id}>"


GUEST = "guest"
# Ids that share prefixes (1, 10, 11) and names that collide (users 1 and 11 are both "ada";
# products 1 and 11 are both "Tiny Lamp"): a key made of a name, or a prefix match, shows.
USERS: dict[Any, Any] = {1: _User(1, "ada"), 2: _User(2, "ben"), 10: _User(10, "cy"),
                         11: _User(11, "ada"), GUEST: _Guest()}
PRODUCTS = {1: _Product(1, "Tiny Lamp"), 2: _Product(2, "Rapid Whisk 2"),
            11: _Product(11, "Tiny Lamp")}


def _who(user: Any) -> str:
    return "a logged-out visitor" if user == GUEST else f"user {user} ({USERS[user].name})"


def _whose(user: Any) -> str:
    return "a logged-out visitor's" if user == GUEST else f"user {user}'s"


class _Data:
    """What the helpers read; writes change it, so a stale fragment shows."""

    def __init__(self) -> None:
        self.comments: Counter[Any] = Counter()
        self.version: Counter[Any] = Counter()
        self.reset()

    def reset(self) -> None:
        self.comments.clear()
        self.comments[1] = 3
        self.version.clear()


def _helpers(data: _Data, calls: Counter[str]) -> dict[str, Callable[..., str]]:
    """Template helpers that count their calls; each output names whose data it holds."""

    def render_notifications(user: Any) -> str:
        calls["render_notifications"] += 1
        who = getattr(user, "id", GUEST)
        return f"{data.comments[who]} new comments for {user.name} (#{who})"

    def render_recommendations(user: Any, lang: str = "en") -> str:
        calls["render_recommendations"] += 1
        who = getattr(user, "id", GUEST)
        return f"[{lang}] Recommended for {user.name} (#{who}): list v{data.version[who]}"

    def related_products(product: Any) -> str:
        calls["related_products"] += 1
        return f"Related to {product.name} (product #{product.id})"

    return {"render_notifications": render_notifications,
            "render_recommendations": render_recommendations,
            "related_products": related_products}


class _Uncached(CacheExtension):
    """``{% cache %}`` that renders its body every time: the page as it would be uncached."""

    def _cache(self, timeout: Any, fragment_name: Any, vary_on: Any,
               caller: Callable[[], str]) -> Any:
        return caller()


class _Site:
    """One way of rendering the templates: its own app, cache (or none) and call counter."""

    def __init__(self, data: _Data, templates: Mapping[str, str], cached: bool) -> None:
        self.app = Flask("fragments_check")
        self.cache: Cache | None = None
        self.store: dict[str, Any] = {}  # the SimpleCache's entries: key -> (expires, value)
        if cached:
            self.cache = Cache()
            self.cache.init_app(self.app, config=simple_config(CACHE_DEFAULT_TIMEOUT=50))
            with self.app.app_context():
                self.store = self.cache.cache._cache  # a private SimpleCache, never Redis
        else:
            self.app.jinja_env.add_extension(_Uncached)
        self.app.jinja_loader = DictLoader(dict(templates))
        self.calls: Counter[str] = Counter()
        self.app.jinja_env.globals.update(_helpers(data, self.calls))
        self.owner: dict[str, Any] = {}  # fragment key -> the page render that stored it
        self.timeout: dict[str, float] = {}  # fragment key -> the timeout it was stored with

    def template(self, name: str) -> Template:
        return self.app.jinja_env.get_template(name)

    def reset(self) -> None:
        self.calls.clear()
        self.owner.clear()
        self.timeout.clear()
        self.store.clear()

    def snapshot(self) -> tuple[dict[str, Any], Counter[str], dict[str, Any]]:
        return dict(self.store), self.calls.copy(), dict(self.owner)

    def restore(self, state: tuple[dict[str, Any], Counter[str], dict[str, Any]]) -> None:
        entries, calls, owner = state
        self.store.clear()
        self.store.update(entries)
        self.calls.clear()
        self.calls.update(calls)
        self.owner = dict(owner)

    def keys(self) -> list[str]:
        return sorted(self.store)

    def seconds_left(self, key: str) -> float | None:
        """The timeout ``key`` was stored with (measured right after it was stored)."""
        return self.timeout.get(key)

    def render(self, name: str, who: Any, **context: Any) -> tuple[str, Counter[str]]:
        """The page and the helpers that ran; the learner's slips become a Fail."""
        before = self.calls.copy()
        keys = set(self.store)
        with self.app.app_context():
            try:
                body = self.template(name).render(**context)
            except UndefinedError as exc:
                if re.search(r"'(str|int|repr|format)' is undefined", str(exc)):
                    raise Fail(f"rendering it raised UndefinedError: {exc}. Templates have no "
                               "Python builtins such as str(); use Jinja's filter: "
                               "value|string.") from None
                raise Fail(f"rendering it raised UndefinedError: {exc}; this template gets "
                           f"only {', '.join(sorted(context))}.") from None
            except TypeError as exc:
                if "expected str instance" in str(exc):
                    raise Fail(f"rendering it raised TypeError: {exc}. {_STRING_FIX}") from None
                raise Fail(f"rendering it raised TypeError: {exc}") from None
            except Exception as exc:
                raise Fail(f"rendering it raised {type(exc).__name__}: {exc}") from None
        now = time.time()
        for key in set(self.store) - keys:
            self.owner[key] = who
            expires = self.store[key][0]
            # cachelib stores int(time()) + timeout: round up what is left
            self.timeout[key] = float("inf") if expires == 0 else math.ceil(expires - now)
        return body, self.calls - before


def _syntax_message(what: str, exc: TemplateSyntaxError) -> str:
    message = f"{what} does not compile: {exc.message} (line {exc.lineno})."
    if "No filter named 'str'" in (exc.message or ""):
        message += " Jinja's filter is called `string`: current_user.id|string."
    elif "{" in (exc.source or "") and "expected token" in (exc.message or ""):
        message += (" Inside {% ... %} write plain expressions, without {{ }}: "
                    "{% cache 300, 'sidebar', current_user.id|string %}.")
    else:
        message += " Compare your {% cache %} ... {% endcache %} tags with the lesson's."
    return message


def _compile(templates: Mapping[str, str], shown: Mapping[str, str]) -> None:
    site = _Site(_Data(), templates, cached=True)
    for name in templates:
        try:
            site.template(name)
        except TemplateSyntaxError as exc:
            raise Fail(_syntax_message(shown[name], exc)) from None


def _template(ns: Namespace, name: str) -> str:
    source = ns.answer(name)
    if not isinstance(source, str):
        raise Fail(f"`{name}` should be the template's source, a str, not a "
                   f"{type(source).__name__}.")
    return source


# --- the search: generated sequences, shrunk to the shortest failing one ---------------------


def _shortest_failure(steps: st.SearchStrategy[list[Any]], judge: Callable[[Sequence[Any]], None],
                      examples: Sequence[Sequence[Any]] = ()) -> None:
    """Run ``judge`` (it raises Fail) on hand-picked, then generated sequences; a failure is
    raised again for the shortest failing sequence, whose story is the hint."""
    for sequence in examples:  # the classic mistakes, in their shortest form
        judge(sequence)

    @_SEARCH
    @given(steps)
    def probe(sequence: list[Any]) -> None:
        judge(sequence)

    # Hypothesis caches on disk even without a database (./.hypothesis/constants): keep that
    # out of the learner's folder, and put back whatever home directory was set before.
    before = getattr(hypothesis_configuration, "__hypothesis_home_directory", None)
    hypothesis_configuration.set_hypothesis_home_dir(_scratch_home())
    try:
        probe()
    except Fail:
        raise
    except Exception as exc:  # e.g. an answer that changes its mind on the same sequence
        raise Fail("your answer behaved differently on two runs of the same requests "
                   f"({type(exc).__name__}): keep the template and the function "
                   "deterministic.") from None
    finally:
        hypothesis_configuration.set_hypothesis_home_dir(before)


@cache_once
def _scratch_home() -> str:
    """A private folder for Hypothesis's on-disk cache, removed when Python exits."""
    folder = tempfile.mkdtemp(prefix="fcc-hypothesis-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _story(lines: Sequence[str]) -> str:
    return ", then ".join(lines)


def _probe(sites: Sequence[_Site], view: Callable[[Any], None], pages: Sequence[Any]) -> None:
    """After a write: would any page be wrong if viewed now? Views leave no trace here."""
    for page in pages:
        states = [site.snapshot() for site in sites]
        try:
            view(page)
        finally:
            for site, state in zip(sites, states, strict=True):
                site.restore(state)


def _owners(text: str) -> set[str]:
    return set(re.findall(r"\(#(\w+)\)", text)) | {
        f"product {p}" for p in re.findall(r"\(product #(\d+)\)", text)}


def _saw(got: str, want: str, viewer: str, noun: str = "sidebar") -> str:
    """"user 11 (ada) saw user 1's sidebar", or what differs from the uncached page."""
    foreign = sorted(_owners(got) - _owners(want))
    if foreign:
        other = foreign[0]
        owner = (f"product {other.split()[-1]}'s related products" if other.startswith("product")
                 else f"a logged-out visitor's {noun}" if other == GUEST
                 else f"user {other}'s {noun}")
        return f"{viewer} saw {owner}"
    return (f"{viewer} got a page that differs from the same template without caching "
            f"(got {got.strip()!r}, expected {want.strip()!r})")


def _check_ttl(site: _Site, seconds: int) -> None:
    for key in site.keys():
        left = site.seconds_left(key)
        if left is not None and left != seconds:
            shown = "never expires" if left == float("inf") else f"expires after {round(left)} s"
            raise Fail(f"the fragment {key!r} {shown}: cache it for {seconds} seconds.")


# --- 1. the article's TypeError -------------------------------------------------------------

_MODEL_SIDEBAR = """{% cache 300, 'sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
_SIDEBAR_VIEWERS = (1, 10, 11, GUEST)
_SIDEBAR_STEPS = st.lists(st.one_of(
    st.tuples(st.just("view"), st.sampled_from(_SIDEBAR_VIEWERS)),
    st.tuples(st.just("comment"), st.sampled_from((1, 10, 11)))), min_size=1, max_size=6)


def _sidebar_judge(source: str) -> tuple[Callable[[Sequence[Any]], None], _Site]:
    data = _Data()
    cached = _Site(data, {"sidebar": source}, cached=True)
    plain = _Site(data, {"sidebar": source}, cached=False)
    model = _Site(data, {"sidebar": _MODEL_SIDEBAR}, cached=True)

    def view(lines: list[str], user: Any) -> None:
        story = _story([*lines, f"{_who(user)} views the sidebar"])
        try:
            got, ran = cached.render("sidebar", user, current_user=USERS[user])
        except Fail as exc:
            raise Fail(f"{story}: {exc}") from None
        want, _ = plain.render("sidebar", user, current_user=USERS[user])
        _, model_ran = model.render("sidebar", user, current_user=USERS[user])
        if got != want:
            if _owners(got) == _owners(want) and any(
                    line.endswith(f"vary_on=['{user}'])") for line in lines):
                raise Fail(f"{story}: {_whose(user)} sidebar was stale: the app deleted "
                           f"make_template_fragment_key('sidebar', vary_on=['{user}']), but "
                           f"your fragment is stored under another key ({cached.keys()}). "
                           "Name it 'sidebar' and vary it on current_user.id|string.")
            raise Fail(f"{story}: {_saw(got, want, _who(user))}. Two viewers share one key "
                       f"({cached.keys()}): vary the fragment on a value unique to each user, "
                       "current_user.id|string (names are not unique).")
        if ran["render_recommendations"] > model_ran["render_recommendations"]:
            raise Fail(f"{story}: render_recommendations ran again for {_who(user)}, whose "
                       "sidebar should have come from the cache: the sidebar is not cached. "
                       "Keep the {% cache 300, 'sidebar', ... %} ... {% endcache %} tag and "
                       "fix only its key.")

    def judge(steps: Sequence[Any]) -> None:
        data.reset()
        for site in (cached, plain, model):
            site.reset()
        lines: list[str] = []
        for action, user in steps:
            # A comment first shows the sidebar: a write matters to a user whose sidebar is cached.
            view(lines, user)
            lines.append(f"{_who(user)} views the sidebar")
            if action == "view":
                continue
            data.comments[user] += 1
            key = make_template_fragment_key("sidebar", vary_on=[str(user)])
            for site in (cached, model):
                assert site.cache is not None
                with site.app.app_context():
                    site.cache.delete(key)
            lines.append(f"{_who(user)} gets a new comment and the app deletes "
                         f"make_template_fragment_key('sidebar', vary_on=['{user}'])")
            _probe((cached, model), lambda viewer: view(lines, viewer), _SIDEBAR_VIEWERS)

    return judge, cached


@exercise("fragments-int-id", hint=(
    "The third value in the tag is what the fragment varies on. User ids are ints, and "
    "Flask-Caching joins these values with '_'.join(...), which takes only strings: apply "
    "Jinja's `string` filter."))
def check_int_id(ns: Namespace) -> str:
    source = _template(ns, "SIDEBAR_TEMPLATE")
    _compile({"sidebar": source}, {"sidebar": "`SIDEBAR_TEMPLATE`"})
    # Without caching, the template must show the article's sidebar.
    data = _Data()
    plain = _Site(data, {"sidebar": source}, cached=False)
    for user in (1, GUEST):
        try:
            body, _ = plain.render("sidebar", user, current_user=USERS[user])
        except Fail as exc:
            raise Fail(f"{_who(user)} views the sidebar: {exc}") from None
        for part in ("render_notifications", "render_recommendations"):
            if plain.app.jinja_env.globals[part](USERS[user]) not in body:
                raise Fail(f"the sidebar no longer shows {part}(current_user): keep the "
                           "article's two lines inside the {% cache %} block.")
    judge, cached = _sidebar_judge(source)
    _shortest_failure(_SIDEBAR_STEPS, judge, examples=[
        [("view", 1)], [("view", GUEST)], [("view", 1), ("view", 1)],
        [("view", 1), ("view", 11)], [("view", 1), ("view", 10)],
        [("comment", 1)]])
    judge([("view", 1), ("view", 10)])
    wanted = make_template_fragment_key("sidebar", vary_on=["1"])
    if wanted not in cached.keys():
        raise Fail(f"the sidebar is cached per user, but under {cached.keys()}, not under the "
                   "name 'sidebar' with the user's id as a string. Invalidation code builds "
                   "make_template_fragment_key('sidebar', vary_on=[str(user.id)]), so the tag "
                   "must be {% cache 300, 'sidebar', current_user.id|string %}.")
    _check_ttl(cached, 300)
    return ("on every generated sequence of views by users 1, 10, 11 (two of them named ada) "
            "and logged-out visitors, with new comments and deletions, each saw exactly the "
            f"uncached sidebar, rendered once per user; user 1's key is {wanted!r}.")


# --- 2. a key collision ---------------------------------------------------------------------

_PAGES = ("product.html", "account.html")
_MODEL_PAGES = {
    "product.html": "<h1>{{ product.name }}</h1>\n{% cache 300, 'related', product.id|string %}"
                    "<aside>{{ related_products(product) }}</aside>{% endcache %}",
    "account.html": "<h1>{{ current_user.name }}</h1>\n{% cache 300, 'sidebar', "
                    "current_user.id|string %}<aside>{{ render_recommendations(current_user) }}"
                    "</aside>{% endcache %}",
}
_PAGE_STEPS = st.lists(st.one_of(
    st.tuples(st.just("product.html"), st.sampled_from(sorted(PRODUCTS))),
    st.tuples(st.just("account.html"), st.sampled_from((1, 2, 11)))), min_size=1, max_size=6)


def _page(step: tuple[str, int]) -> tuple[str, dict[str, Any], str]:
    name, ident = step
    if name == "product.html":
        return name, {"product": PRODUCTS[ident]}, f"product {ident}'s page"
    return name, {"current_user": USERS[ident]}, f"{_whose(ident)} account page"


def _pages_judge(templates: Mapping[str, str]) -> tuple[Callable[[Sequence[Any]], None], _Site]:
    data = _Data()
    cached = _Site(data, templates, cached=True)
    plain = _Site(data, templates, cached=False)
    model = _Site(data, _MODEL_PAGES, cached=True)

    def judge(steps: Sequence[Any]) -> None:
        for site in (cached, plain, model):
            site.reset()
        lines: list[str] = []
        for step in steps:
            name, context, label = _page(step)
            lines.append(f"{label} is rendered")
            story = _story(lines)
            try:
                got, ran = cached.render(name, step, **context)
            except Fail as exc:
                raise Fail(f"{story}: {exc}") from None
            want, _ = plain.render(name, step, **context)
            _, model_ran = model.render(name, step, **context)
            if got != want:
                keys = cached.keys()
                saw = _saw(got, want, label, noun="account sidebar")
                unnamed = [key for key in keys if key.startswith("_template_fragment_cache_None")]
                if unnamed:
                    raise Fail(f"{story}: {saw}. The blocks are unnamed, so each is named after "
                               "its template's file name and line; templates from a DictLoader "
                               f"have no file name, and both blocks get the key {unnamed[0]!r}. "
                               "Give each block its own name, then its vary-on value.")
                if any(o.startswith("product") for o in _owners(got)) == (name == "product.html"):
                    kind, value = (("products", "product.id|string") if name == "product.html"
                                   else ("users", "current_user.id|string"))
                    raise Fail(f"{story}: {saw}. Two {kind} share one key (keys: {keys}): vary "
                               f"the block on {value}, which is unique; names repeat.")
                raise Fail(f"{story}: {saw}. Two blocks share a key (keys: {keys}): a fragment's "
                           "key is its name plus its vary-on values, so give each block its own "
                           "name, e.g. 'related' and 'sidebar', and vary each on its own id "
                           "(product.id|string, current_user.id|string).")
            if sum(ran.values()) > sum(model_ran.values()):
                block = "related-products block" if name == "product.html" else "account sidebar"
                raise Fail(f"{story}: the {block} was rendered again instead of coming from the "
                           "cache: keep its {% cache 300, ... %} tag; change only the name.")

    return judge, cached


@exercise("fragments-collision", hint=(
    "Render product 2's page, then user 2's account page, and print the cache's keys: both "
    "blocks land on one key. A fragment's key is its name plus its vary-on values, so give "
    "each block its own name and keep its vary-on value."))
def check_collision(ns: Namespace) -> str:
    templates = ns.answer("FIXED_TEMPLATES")
    if not isinstance(templates, Mapping):
        raise Fail("`FIXED_TEMPLATES` should be a dict of template name -> source, like "
                   "BUGGY_TEMPLATES.")
    missing = [name for name in _PAGES if name not in templates]
    if missing:
        raise Fail(f"`FIXED_TEMPLATES` has no {', '.join(missing)}: keep both templates' names.")
    for name in _PAGES:
        if not isinstance(templates[name], str):
            raise Fail(f"FIXED_TEMPLATES[{name!r}] should be a template source (a str).")
    templates = {name: templates[name] for name in _PAGES}
    _compile(templates, {name: name for name in _PAGES})
    plain = _Site(_Data(), templates, cached=False)
    for step in (("product.html", 2), ("account.html", 2)):
        name, context, label = _page(step)
        try:
            body, _ = plain.render(name, step, **context)
        except Fail as exc:
            raise Fail(f"{label} is rendered: {exc}") from None
        helper, arg = (("related_products", context["product"]) if name == "product.html"
                       else ("render_recommendations", context["current_user"]))
        if plain.app.jinja_env.globals[helper](arg) not in body:
            raise Fail(f"{name} no longer shows {helper}(...): product.html must call "
                       "related_products(product) and account.html "
                       "render_recommendations(current_user).")
    judge, cached = _pages_judge(templates)
    _shortest_failure(_PAGE_STEPS, judge, examples=[
        [("product.html", 2)], [("account.html", 2)],
        [("product.html", 2), ("account.html", 2)], [("account.html", 2), ("product.html", 2)],
        [("product.html", 2), ("product.html", 1)], [("account.html", 2), ("account.html", 1)],
        [("product.html", 1), ("product.html", 11)], [("account.html", 1), ("account.html", 11)],
        [("product.html", 2), ("product.html", 2)], [("account.html", 2), ("account.html", 2)]])
    judge([("product.html", 2), ("account.html", 2)])
    _check_ttl(cached, 300)
    return ("whichever page comes first, every generated sequence of product and account pages "
            "(ids 1, 2, 11, names that repeat) rendered exactly what the uncached templates "
            f"render, each block once per id; keys: {cached.keys()}.")


# --- 3. invalidate one user's fragments -----------------------------------------------------

_MODEL_ACCOUNT = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'account-sidebar', current_user.id|string, lang %}
<aside>{{ render_recommendations(current_user, lang) }}</aside>
{% endcache %}"""
_ACCOUNT_USERS = (1, 10, 11)
_ACCOUNT_STEPS = st.lists(st.one_of(
    st.tuples(st.just("view"), st.sampled_from(_ACCOUNT_USERS), st.sampled_from(LANGUAGES)),
    st.tuples(st.just("rate"), st.sampled_from(_ACCOUNT_USERS), st.just(""))),
    min_size=1, max_size=7)


def _model_invalidate(cache: Cache, user_id: int) -> None:
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key("account-sidebar", vary_on=[str(user_id), lang]))


def _call_invalidate(invalidate: Callable[..., Any], site: _Site, user: int) -> None:
    assert site.cache is not None
    with site.app.app_context():
        try:
            invalidate(site.cache, user)
        except TypeError as exc:
            if "expected str instance" in str(exc):
                raise Fail(f"invalidate_sidebar(cache, {user}) raised TypeError: {exc}. "
                           "vary_on values must be strings, as in the template: "
                           "str(user_id).") from None
            raise Fail(f"invalidate_sidebar(cache, {user}) raised TypeError: {exc}") from None
        except KeyError as exc:
            if isinstance(exc.args[0] if exc.args else None, Cache):
                raise Fail("invalidate_sidebar used another Cache than the one it was given: "
                           "call cache.delete(...) on its `cache` argument.") from None
            raise Fail(f"invalidate_sidebar(cache, {user}) raised KeyError: {exc}") from None
        except Exception as exc:
            raise Fail(f"invalidate_sidebar(cache, {user}) raised {type(exc).__name__}: "
                       f"{exc}") from None


def _pages_deleted(source: str, invalidate: Callable[..., Any], user: int) -> list[Any]:
    """The (user, language) sidebars ``invalidate(cache, user)`` deletes when all are cached."""
    site = _Site(_Data(), {"account": source}, cached=True)
    for someone in _ACCOUNT_USERS:
        for lang in LANGUAGES:
            site.render("account", (someone, lang), current_user=USERS[someone], lang=lang)
    before = set(site.keys())
    try:
        _call_invalidate(invalidate, site, user)
    except Fail:
        return []
    return sorted(site.owner[key] for key in before - set(site.keys()) if key in site.owner)


def _account_judge(source: str, invalidate: Callable[..., Any]
                   ) -> tuple[Callable[[Sequence[Any]], None], _Site]:
    data = _Data()
    cached = _Site(data, {"account": source}, cached=True)
    plain = _Site(data, {"account": source}, cached=False)
    model = _Site(data, {"account": _MODEL_ACCOUNT}, cached=True)

    deleted: dict[int, list[Any]] = {}  # user -> whose fragments their invalidation deleted
    swept: dict[int, list[Any]] = {}  # user -> the pages invalidate_sidebar(cache, user) deletes

    def view(lines: list[str], user: int, lang: str) -> None:
        story = _story([*lines, f"user {user} views the account page in '{lang}'"])
        context = {"current_user": USERS[user], "lang": lang}
        try:
            got, ran = cached.render("account", (user, lang), **context)
        except Fail as exc:
            raise Fail(f"{story}: {exc}") from None
        want, _ = plain.render("account", (user, lang), **context)
        _, model_ran = model.render("account", (user, lang), **context)
        if got != want:
            same_user = _owners(got) == _owners(want)
            if same_user and f"[{lang}]" not in got:
                raise Fail(f"{story}: user {user}'s '{lang}' page showed the sidebar of another "
                           "language: vary the fragment on lang as well as on the user.")
            if same_user and user in deleted:
                if user not in swept:
                    swept[user] = _pages_deleted(source, invalidate, user)
                mine = [lang for who, lang in swept[user] if who == user]
                others = sorted({who for who, _ in swept[user] if who != user})
                stale = (f"{story}: user {user}'s '{lang}' sidebar still showed the "
                         "recommendations from before the rating")
                if mine:
                    missing = sorted(set(LANGUAGES) - set(mine))
                    raise Fail(f"{stale}: invalidate_sidebar deletes only the {mine} fragments, "
                               f"not {missing}. Delete the fragment for every language in "
                               f"LANGUAGES {LANGUAGES}.")
                if others:
                    raise Fail(f"{stale}: invalidate_sidebar(cache, {user}) deletes user "
                               f"{others[0]}'s fragments instead of user {user}'s. Build the "
                               "exact keys with make_template_fragment_key and str(user_id).")
                raise Fail(f"{stale}: invalidate_sidebar deleted nothing. The keys it builds "
                           f"do not match the template's ({cached.keys()}): use "
                           "make_template_fragment_key with the tag's name and "
                           "vary_on=[str(user_id), lang], in the tag's order.")
            raise Fail(f"{story}: {_saw(got, want, f'user {user}')}. Two users share one key "
                       f"({cached.keys()}): vary the fragment on current_user.id|string "
                       "(unique, unlike names) and on lang.")
        if ran["render_recommendations"] > model_ran["render_recommendations"]:
            victims = [u for u, gone in deleted.items() if u != user
                       and any(owner[0] == user for owner in gone)]
            if victims:
                raise Fail(f"{story}: user {user}'s sidebar was rendered again, but only user "
                           f"{victims[0]}'s data changed: invalidate_sidebar(cache, "
                           f"{victims[0]}) deleted user {user}'s fragment too. Delete only the "
                           "given user's exact keys (not cache.clear(), not every key that "
                           f"starts with '{victims[0]}': users 10 and 11 start with 1 too).")
            raise Fail(f"{story}: the sidebar was rendered again instead of coming from the "
                       "cache: wrap render_recommendations(current_user, lang) in "
                       "{% cache 600, ... %} ... {% endcache %}.")

    def judge(steps: Sequence[Any]) -> None:
        data.reset()
        for site in (cached, plain, model):
            site.reset()
        deleted.clear()
        lines: list[str] = []
        for action, user, lang in steps:
            if action == "view":
                view(lines, user, lang)
                lines.append(f"user {user} views the account page in '{lang}'")
                continue
            for lang in LANGUAGES:  # a rating matters to a user whose sidebars are cached
                view(lines, user, lang)
                lines.append(f"user {user} views the account page in '{lang}'")
            data.version[user] += 1
            lines.append(f"user {user} rates a product and invalidate_sidebar(cache, {user}) "
                         "runs")
            before = set(cached.keys())
            try:
                _call_invalidate(invalidate, cached, user)
            except Fail as exc:
                raise Fail(f"{_story(lines)}: {exc}") from None
            deleted[user] = [cached.owner[key] for key in sorted(before - set(cached.keys()))
                             if key in cached.owner]
            assert model.cache is not None
            with model.app.app_context():
                _model_invalidate(model.cache, user)
            pages = [(someone, other) for someone in _ACCOUNT_USERS for other in LANGUAGES]
            _probe((cached, model), lambda page: view(lines, *page), pages)

    return judge, cached


@exercise("fragments-invalidate", hint=(
    "Cache the block with {% cache 600, 'a name', current_user.id|string, lang %}. "
    "make_template_fragment_key takes the same name and vary_on=[the same values, as "
    "strings, in the same order]; delete one key per language."))
def check_invalidate(ns: Namespace) -> str:
    source = _template(ns, "ACCOUNT_TEMPLATE")
    invalidate = ns.function("invalidate_sidebar")
    _compile({"account": source}, {"account": "`ACCOUNT_TEMPLATE`"})
    plain = _Site(_Data(), {"account": source}, cached=False)
    for lang in LANGUAGES:
        try:
            body, _ = plain.render("account", (1, lang), current_user=USERS[1], lang=lang)
        except Fail as exc:
            raise Fail(f"user 1 views the account page in '{lang}': {exc}") from None
        wanted = plain.app.jinja_env.globals["render_recommendations"](USERS[1], lang)
        if wanted not in body or "ada" not in body.replace(wanted, ""):
            raise Fail("the page must show a heading with the user's name and "
                       "render_recommendations(current_user, lang).")
    judge, cached = _account_judge(source, invalidate)
    _shortest_failure(_ACCOUNT_STEPS, judge, examples=[
        [("view", 1, "en")], [("view", 1, "en"), ("view", 1, "en")],
        [("view", 1, "en"), ("view", 10, "en")], [("view", 1, "en"), ("view", 11, "en")],
        [("view", 1, "en"), ("view", 1, "fr")],
        [("rate", 1, "")], [("view", 10, "en"), ("rate", 1, "")],
        [("view", 11, "en"), ("rate", 1, "")]])
    judge([("view", 1, "en"), ("view", 10, "fr")])
    _check_ttl(cached, 600)
    return ("on every generated sequence of views (users 1, 10, 11 in both languages), ratings "
            "and your invalidate_sidebar, each page was exactly the uncached page, and only the "
            "rating user's sidebars were rendered again.")
