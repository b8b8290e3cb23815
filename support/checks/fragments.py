"""Checkers for lesson 05 (template fragments), judged by cache transparency.

A fragment cache is correct when every page it renders is exactly the page the same template
renders without caching, for every user and language, whatever happened before, while it saves
at least the work the worked solution saves. Each checker hands three sides to the shared core
(:func:`support.checks.transparency.judge`), which plays generated sequences of views,
data writes and invalidations on all three:

- ``learner``: the learner's templates with Flask-Caching's ``{% cache %}`` (a private
  SimpleCache, never a shared Redis);
- ``truth``: the same templates with a ``{% cache %}`` tag that only renders its body;
- ``reference``: the worked solution's templates, cached (the work a good answer saves: calls
  of the template helpers).

The users, products and languages reach the edges wrong keys trip on: ids that share prefixes
(1, 10, 11), names that repeat (users 1 and 11 are both "ada"), a logged-out visitor without an
id. The hand-picked classic mistakes are played first (their order picks the hint), then every
short sequence (each pair of views, each view again after each write), then generated scenarios.
The core shrinks a failure to the shortest sequence; each exercise's ``_explain_*`` replays it
and adds what the mistake is and how to fix it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_caching import Cache, make_template_fragment_key
from flask_caching.jinja2ext import CacheExtension
from hypothesis import strategies as st
from jinja2 import DictLoader, TemplateSyntaxError, UndefinedError

from support.checks.plumbing import grading_app, simple_app
from support.checks.transparency import Budget, Side, Step, Steps, judge, sequence
from support.checks.core import Fail, Namespace, exercise

LANGUAGES = ("en", "fr")
BUDGET = Budget(examples=60, steps=6)
_STRING_FIX = ("The values a {% cache %} tag varies on must be strings (Flask-Caching joins them "
               "with '_'.join): apply Jinja's string filter, e.g. current_user.id|string.")


# --- the shop the templates see ----------------------------------------------------------------


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
#: Who a wrong key confuses with whom: a shared name or a shared prefix.
PARTNERS: dict[Any, tuple[Any, ...]] = {1: (11, 10, GUEST), 2: (1, 11), 10: (1, 11),
                                        11: (1, 10), GUEST: (1,)}


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


# --- one way of rendering the templates: a side of the judge -----------------------------------

Play = Callable[["_Site", Step], Any]


class _Site:
    """The templates rendered with their own app, data and helper-call counter: cached with a
    private SimpleCache (``cached``), or with a ``{% cache %}`` that only renders its body."""

    def __init__(self, templates: Mapping[str, str], cached: bool, play: Play) -> None:
        self.cache: Cache | None = None
        self.store: dict[str, Any] = {}  # the SimpleCache's entries: key -> (expires, value)
        if cached:
            self.app, self.cache = simple_app("fragments_check")
            with self.app.app_context():
                self.store = self.cache.cache._cache
        else:
            self.app = grading_app("fragments_check")
            self.app.jinja_env.add_extension(_Uncached)
        self.app.jinja_loader = DictLoader(dict(templates))
        self.data = _Data()
        self.calls: Counter[str] = Counter()
        self.app.jinja_env.globals.update(_helpers(self.data, self.calls))
        self._play = play

    def side(self) -> Side:
        """This site, emptied, as a side of the judge (its work: the helpers' calls)."""
        self.data.reset()
        self.calls.clear()
        self.store.clear()
        return Side(self.play, lambda: sum(self.calls.values()))

    def play(self, step: Step) -> Any:
        return self._play(self, step)

    def render(self, name: str, **context: Any) -> str:
        template = self.app.jinja_env.get_template(name)
        if self.cache is None:  # nothing reads the app then
            return template.render(**context)
        with self.app.app_context():
            return template.render(**context)

    def helper(self, name: str, *args: Any) -> str:
        """What the helper ``name`` renders for ``args`` now (not counted)."""
        text = self.app.jinja_env.globals[name](*args)
        self.calls[name] -= 1
        return text

    def keys(self) -> list[str]:
        return sorted(self.store)

    def delete(self, key: str) -> None:
        if self.cache is not None:
            with self.app.app_context():
                self.cache.delete(key)


@dataclass
class _Sites:
    """The three sides of one check, built once; each scenario starts them empty."""

    learner: _Site
    truth: _Site
    reference: _Site

    def judge(self, steps: Steps, examples: Sequence[Sequence[Step]],
              explain: Callable[[_Sites, list[Step], str], str], noun: str,
              views: Sequence[Step], writes: Sequence[Step] = ()) -> None:
        """The hand-picked ``examples`` first (their order picks the hint), then every short
        sequence of ``views`` and ``writes``, then generated scenarios."""
        judge(self.learner.side, self.truth.side, steps, reference=self.reference.side,
              examples=[*examples, *_short_sequences(views, writes)],
              explain=lambda found: explain(self, found.steps, found.message), budget=BUDGET,
              noun=noun)

    def replay(self, steps: Sequence[Step]) -> _Replay:
        """Play ``steps`` again on fresh sides: the learner's error, or the last answers."""
        sides = [self.learner.side(), self.truth.side(), self.reference.side()]
        got = want = None
        for step in steps:
            try:
                got = sides[0].play(step)
            except Exception as exc:
                return _Replay(exc, None, None)
            want = sides[1].play(step)
            sides[2].play(step)
        return _Replay(None, got, want)


def _short_sequences(views: Sequence[Step], writes: Sequence[Step]) -> list[list[Step]]:
    """Every pair of views, and every view again after every write: a wrong key, a missed or an
    extra invalidation shows in one of them, whoever it hits (a few hundred renders)."""
    return ([[a, b] for a in views for b in views]
            + [[view, write, view] for write in writes for view in views])


@dataclass
class _Replay:
    error: Exception | None
    got: Any
    want: Any


def _sites(templates: Mapping[str, str], model: Mapping[str, str], play: Play,
           learner_play: Play | None = None) -> _Sites:
    return _Sites(_Site(templates, True, learner_play or play), _Site(templates, False, play),
                  _Site(model, True, play))


def _render_error(exc: Exception) -> str:
    """The learner's template raised ``exc`` while rendering: what to fix."""
    if isinstance(exc, UndefinedError):
        if re.search(r"'(str|int|repr|format)' is undefined", str(exc)):
            return (f"rendering it raised UndefinedError: {exc}. Templates have no Python "
                    "builtins such as str(); use Jinja's filter: value|string.")
        return f"rendering it raised UndefinedError: {exc}: the template does not get it."
    if isinstance(exc, TypeError) and "expected str instance" in str(exc):
        return f"rendering it raised TypeError: {exc}. {_STRING_FIX}"
    return f"rendering it raised {type(exc).__name__}: {exc}"


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
    site = _Site(templates, True, lambda site, step: None)
    for name in templates:
        try:
            site.app.jinja_env.get_template(name)
        except TemplateSyntaxError as exc:
            raise Fail(_syntax_message(shown[name], exc)) from None


def _template(ns: Namespace, name: str) -> str:
    source = ns.answer(name)
    if not isinstance(source, str):
        raise Fail(f"`{name}` should be the template's source, a str, not a "
                   f"{type(source).__name__}.")
    return source


def _shows(site: _Site, step: Step, helper: str, *args: Any) -> str | None:
    """The page of ``step`` rendered without caching, if it shows ``helper(*args)``."""
    try:
        body = site.play(step)
    except Exception as exc:
        raise Fail(f"{step}: {_render_error(exc)}") from None
    return body if site.helper(helper, *args) in body else None


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
    return f"{viewer} got a page that differs from the same template without caching"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_ttl(site: _Site, seconds: int, pages: Sequence[Step]) -> None:
    """The fragments ``pages`` store live ``seconds`` (cachelib stores int(time()) + timeout)."""
    site.side()
    before = int(time.time())
    for step in pages:
        site.play(step)
    after = int(time.time())
    for key, (expires, _) in sorted(site.store.items()):
        if expires and expires - after <= seconds <= expires - before:
            continue
        shown = "never expires" if not expires else f"expires after {expires - before} s"
        raise Fail(f"the fragment {key!r} {shown}: cache it for {seconds} seconds.")


# --- 1. the article's TypeError ----------------------------------------------------------------

_MODEL_SIDEBAR = """{% cache 300, 'sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
_SIDEBAR_VIEWERS = (1, 10, 11, GUEST)
_COMMENTERS = (1, 10, 11)


def _view(user: Any) -> Step:
    return Step("view", f"{_who(user)} views the sidebar", (user,))


def _comment(user: int) -> Step:
    return Step("write", f"{_who(user)} gets a new comment and the app deletes "
                         f"make_template_fragment_key('sidebar', vary_on=['{user}'])", (user,))


def _sidebar_steps() -> Steps:
    def near(step: Step) -> st.SearchStrategy[Step]:
        user = step.args[0]
        views = [_view(user), *(_view(u) for u in PARTNERS[user])]
        return st.sampled_from(views + ([_comment(user)] if user in _COMMENTERS else []))

    return Steps(st.one_of(st.sampled_from(_SIDEBAR_VIEWERS).map(_view),
                           st.sampled_from(_COMMENTERS).map(_comment)), near)


def _play_sidebar(site: _Site, step: Step) -> Any:
    (user,) = step.args
    if step.kind == "write":
        site.data.comments[user] += 1
        site.delete(make_template_fragment_key("sidebar", vary_on=[str(user)]))
        return None
    return site.render("sidebar", current_user=USERS[user])


def _explain_sidebar(sites: _Sites, steps: list[Step], message: str) -> str:
    replay = sites.replay(steps)
    (user,) = steps[-1].args
    keys = sites.learner.keys()
    if replay.error is not None:
        return f"{sequence(steps)}: {_render_error(replay.error)}"
    if replay.got != replay.want:
        if _owners(replay.got) == _owners(replay.want) and _comment(user) in steps:
            return (f"{message} {_capital(_whose(user))} sidebar was stale: the app deleted "
                    f"make_template_fragment_key('sidebar', vary_on=['{user}']), but your "
                    f"fragment is stored under another key ({keys}). Name it 'sidebar' and vary "
                    "it on current_user.id|string.")
        saw = _capital(_saw(replay.got, replay.want, _who(user)))
        return (f"{message} {saw}: two viewers share one key ({keys}). Vary the fragment on a "
                "value unique to each user, current_user.id|string (names are not unique).")
    return (f"{message} The sidebar is not cached: render_recommendations ran again for "
            f"{_who(user)}, whose sidebar should have come from the cache. Keep the "
            "{% cache 300, 'sidebar', ... %} ... {% endcache %} tag and fix only its key.")


@exercise("fragments-int-id", hint=(
    "The third value in the tag is what the fragment varies on. User ids are ints, and "
    "Flask-Caching joins these values with '_'.join(...), which takes only strings: apply "
    "Jinja's `string` filter."))
def check_int_id(ns: Namespace) -> str:
    source = _template(ns, "SIDEBAR_TEMPLATE")
    _compile({"sidebar": source}, {"sidebar": "`SIDEBAR_TEMPLATE`"})
    sites = _sites({"sidebar": source}, {"sidebar": _MODEL_SIDEBAR}, _play_sidebar)
    sites.truth.side()
    for user in (1, GUEST):  # without caching, the template shows the article's sidebar
        for part in ("render_notifications", "render_recommendations"):
            if not _shows(sites.truth, _view(user), part, USERS[user]):
                raise Fail(f"the sidebar no longer shows {part}(current_user): keep the "
                           "article's two lines inside the {% cache %} block.")
    v, c = _view, _comment
    sites.judge(_sidebar_steps(), noun="sidebar", explain=_explain_sidebar, examples=[
        [v(1)], [v(GUEST)], [v(1), v(1)], [v(1), v(11)], [v(1), v(10)],
        [v(1), c(1), v(1)], [v(10), c(10), v(10)]],
        views=[v(u) for u in _SIDEBAR_VIEWERS], writes=[c(u) for u in _COMMENTERS])
    sites.learner.side().play(_view(1))
    wanted = make_template_fragment_key("sidebar", vary_on=["1"])
    if wanted not in sites.learner.keys():
        raise Fail(f"the sidebar is cached per user, but under {sites.learner.keys()}, not under "
                   "the name 'sidebar' with the user's id as a string. Invalidation code builds "
                   "make_template_fragment_key('sidebar', vary_on=[str(user.id)]), so the tag "
                   "must be {% cache 300, 'sidebar', current_user.id|string %}.")
    _check_ttl(sites.learner, 300, [v(1), v(10)])
    return ("on every generated sequence of views by users 1, 10, 11 (two of them named ada) "
            "and logged-out visitors, with new comments and deletions, each saw exactly the "
            f"uncached sidebar, rendered once per user; user 1's key is {wanted!r}.")


# --- 2. a key collision ------------------------------------------------------------------------

_PAGES = ("product.html", "account.html")
_MODEL_PAGES = {
    "product.html": "<h1>{{ product.name }}</h1>\n{% cache 300, 'related', product.id|string %}"
                    "<aside>{{ related_products(product) }}</aside>{% endcache %}",
    "account.html": "<h1>{{ current_user.name }}</h1>\n{% cache 300, 'sidebar', "
                    "current_user.id|string %}<aside>{{ render_recommendations(current_user) }}"
                    "</aside>{% endcache %}",
}
_ACCOUNT_IDS = (1, 2, 11)


def _page(name: str, ident: int) -> Step:
    label = (f"render product {ident}'s page" if name == "product.html"
             else f"render user {ident}'s account page")
    return Step("view", label, (name, ident))


def _page_context(step: Step) -> dict[str, Any]:
    name, ident = step.args
    return ({"product": PRODUCTS[ident]} if name == "product.html"
            else {"current_user": USERS[ident]})


def _page_steps() -> Steps:
    def near(step: Step) -> st.SearchStrategy[Step]:
        name, ident = step.args
        ids = PRODUCTS if name == "product.html" else _ACCOUNT_IDS
        return st.sampled_from([_page(name, i) for i in ids]
                               + [_page(other, ident) for other in _PAGES if other != name])

    return Steps(st.one_of(st.sampled_from(sorted(PRODUCTS)).map(lambda i: _page(_PAGES[0], i)),
                           st.sampled_from(_ACCOUNT_IDS).map(lambda i: _page(_PAGES[1], i))),
                 near)


def _play_page(site: _Site, step: Step) -> Any:
    return site.render(step.args[0], **_page_context(step))


def _explain_pages(sites: _Sites, steps: list[Step], message: str) -> str:
    replay = sites.replay(steps)
    name, ident = steps[-1].args
    keys = sites.learner.keys()
    if replay.error is not None:
        return f"{sequence(steps)}: {_render_error(replay.error)}"
    label = f"product {ident}'s page" if name == "product.html" else f"user {ident}'s account page"
    if replay.got == replay.want:
        block = "related-products block" if name == "product.html" else "account sidebar"
        return (f"{message} The {block} was rendered again instead of coming from the cache: "
                "keep its {% cache 300, ... %} tag; change only the name.")
    saw = _saw(replay.got, replay.want, label, noun="account sidebar")
    unnamed = [key for key in keys if key.startswith("_template_fragment_cache_None")]
    if unnamed:
        return (f"{message} {_capital(saw)}. The blocks are unnamed, so each is named after "
                "its template's file name and line; templates from a DictLoader have no file name, "
                f"and both blocks get the key {unnamed[0]!r}. Give each block its own name, then "
                "its vary-on value.")
    if any(o.startswith("product") for o in _owners(replay.got)) == (name == "product.html"):
        kind, value = (("products", "product.id|string") if name == "product.html"
                       else ("users", "current_user.id|string"))
        return (f"{message} {_capital(saw)}: two {kind} share one key (keys: {keys}). Vary "
                f"the block on {value}, which is unique; names repeat.")
    return (f"{message} {_capital(saw)}: two blocks share a key (keys: {keys}). A fragment's "
            "key is its name plus its vary-on values, so give each block its own name, e.g. "
            "'related' and 'sidebar', and vary each on its own id (product.id|string, "
            "current_user.id|string).")


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
    sites = _sites(templates, _MODEL_PAGES, _play_page)
    sites.truth.side()
    for step, helper in ((_page(_PAGES[0], 2), "related_products"),
                         (_page(_PAGES[1], 2), "render_recommendations")):
        if not _shows(sites.truth, step, helper, *_page_context(step).values()):
            raise Fail(f"{step.args[0]} no longer shows {helper}(...): product.html must call "
                       "related_products(product) and account.html "
                       "render_recommendations(current_user).")
    p, a = (lambda i: _page(_PAGES[0], i)), (lambda i: _page(_PAGES[1], i))
    sites.judge(_page_steps(), noun="page", explain=_explain_pages, examples=[
        [p(2)], [a(2)], [p(2), a(2)], [a(2), p(2)], [p(2), p(1)], [a(2), a(1)],
        [p(1), p(11)], [a(1), a(11)], [p(2), p(2)], [a(2), a(2)]],
        views=[*map(p, sorted(PRODUCTS)), *map(a, _ACCOUNT_IDS)])
    _check_ttl(sites.learner, 300, [p(2), a(2)])
    return ("whichever page comes first, every generated sequence of product and account pages "
            "(ids 1, 2, 11, names that repeat) rendered exactly what the uncached templates "
            f"render, each block once per id; keys: {sites.learner.keys()}.")


# --- 3. invalidate one user's fragments --------------------------------------------------------

_MODEL_ACCOUNT = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'account-sidebar', current_user.id|string, lang %}
<aside>{{ render_recommendations(current_user, lang) }}</aside>
{% endcache %}"""
_ACCOUNT_USERS = (1, 10, 11)


def _account(user: int, lang: str) -> Step:
    return Step("view", f"user {user} views the account page in '{lang}'", (user, lang))


def _rate(user: int) -> Step:
    return Step("write", f"user {user} rates a product and invalidate_sidebar(cache, {user}) "
                         "runs", (user,))


def _account_steps() -> Steps:
    def near(step: Step) -> st.SearchStrategy[Step]:
        user = step.args[0]
        users = [user, *(u for u in PARTNERS[user] if u in _ACCOUNT_USERS)]
        return st.sampled_from([_rate(user)] + [_account(u, lang) for u in users
                                                for lang in LANGUAGES])

    return Steps(st.one_of(st.builds(_account, st.sampled_from(_ACCOUNT_USERS),
                                     st.sampled_from(LANGUAGES)),
                           st.sampled_from(_ACCOUNT_USERS).map(_rate)), near)


def _model_invalidate(cache: Cache, user_id: int) -> None:
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key("account-sidebar", vary_on=[str(user_id), lang]))


def _account_play(invalidate: Callable[[Cache, int], Any]) -> Play:
    def play(site: _Site, step: Step) -> Any:
        if step.kind == "view":
            user, lang = step.args
            return site.render("account", current_user=USERS[user], lang=lang)
        site.data.version[step.args[0]] += 1
        if site.cache is not None:
            with site.app.app_context():
                invalidate(site.cache, step.args[0])
        return None

    return play


def _invalidate_error(exc: Exception, user: int) -> str:
    """``invalidate_sidebar(cache, user)`` raised ``exc``: what to fix."""
    call = f"invalidate_sidebar(cache, {user}) raised {type(exc).__name__}: {exc}"
    if isinstance(exc, TypeError) and "expected str instance" in str(exc):
        return (f"{call}. vary_on values must be strings, as in the template: "
                "str(user_id).")
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], Cache):
        return ("invalidate_sidebar used another Cache than the one it was given: call "
                "cache.delete(...) on its `cache` argument.")
    return call


def _deleted_by(sites: _Sites, user: int) -> list[tuple[int, str]]:
    """The (user, language) sidebars ``invalidate_sidebar(cache, user)`` deletes when all are
    cached."""
    site = sites.learner
    site.side()
    pages = {}
    for someone in _ACCOUNT_USERS:
        for lang in LANGUAGES:
            keys = set(site.store)
            site.play(_account(someone, lang))
            pages.update(dict.fromkeys(set(site.store) - keys, (someone, lang)))
    try:
        site.play(_rate(user))
    except Exception:
        return []
    return sorted(page for key, page in pages.items() if key not in site.store)


def _explain_account(sites: _Sites, steps: list[Step], message: str) -> str:
    replay = sites.replay(steps)
    last = steps[-1]
    if replay.error is not None:
        if last.kind == "write":
            return f"{sequence(steps)}: {_invalidate_error(replay.error, last.args[0])}"
        return f"{sequence(steps)}: {_render_error(replay.error)}"
    user, lang = last.args
    keys = sites.learner.keys()
    rated = [s.args[0] for s in steps if s.kind == "write"]
    if replay.got == replay.want:
        for other in rated:
            if other != user and any(who == user for who, _ in _deleted_by(sites, other)):
                return (f"{message} User {user}'s sidebar was rendered again, but only user "
                        f"{other}'s data changed: invalidate_sidebar(cache, {other}) deleted "
                        f"user {user}'s fragment too. Delete only the given user's exact keys "
                        "(not cache.clear(), not every key that starts with "
                        f"'{other}': users 10 and 11 start with 1 too).")
        return (f"{message} The sidebar was rendered again instead of coming from the cache: "
                "wrap render_recommendations(current_user, lang) in {% cache 600, ... %} ... "
                "{% endcache %}.")
    if _owners(replay.got) == _owners(replay.want):
        if f"[{lang}]" not in replay.got:
            return (f"{message} User {user}'s '{lang}' page showed the sidebar of another "
                    "language: vary the fragment on lang as well as on the user.")
        if user in rated:
            gone = _deleted_by(sites, user)
            mine = [lang for who, lang in gone if who == user]
            others = sorted({who for who, _ in gone if who != user})
            stale = (f"{message} User {user}'s '{lang}' sidebar still showed the "
                     "recommendations from before the rating")
            if mine:
                missing = sorted(set(LANGUAGES) - set(mine))
                return (f"{stale}: invalidate_sidebar deletes only the {mine} fragments, not "
                        f"{missing}. Delete the fragment for every language in LANGUAGES "
                        f"{LANGUAGES}.")
            if others:
                return (f"{stale}: invalidate_sidebar(cache, {user}) deletes user {others[0]}'s "
                        f"fragments instead of user {user}'s. Build the exact keys with "
                        "make_template_fragment_key and str(user_id).")
            works = [u for u in _ACCOUNT_USERS if u != user
                     and any(who == u for who, _ in _deleted_by(sites, u))]
            if works:
                return (f"{stale}: invalidate_sidebar(cache, {user}) deleted nothing, though "
                        f"invalidate_sidebar(cache, {works[0]}) deletes user {works[0]}'s "
                        "fragments: build the keys the same way for every user id.")
            return (f"{stale}: invalidate_sidebar deleted nothing. The keys it builds do not "
                    f"match the template's ({keys}): use make_template_fragment_key with the "
                    "tag's name and vary_on=[str(user_id), lang], in the tag's order.")
    saw = _capital(_saw(replay.got, replay.want, f"user {user}"))
    return (f"{message} {saw}: two users share one key ({keys}). Vary the fragment on "
            "current_user.id|string (unique, unlike names) and on lang.")


@exercise("fragments-invalidate", hint=(
    "Cache the block with {% cache 600, 'a name', current_user.id|string, lang %}. "
    "make_template_fragment_key takes the same name and vary_on=[the same values, as "
    "strings, in the same order]; delete one key per language."))
def check_invalidate(ns: Namespace) -> str:
    source = _template(ns, "ACCOUNT_TEMPLATE")
    invalidate = ns.function("invalidate_sidebar")
    _compile({"account": source}, {"account": "`ACCOUNT_TEMPLATE`"})
    sites = _sites({"account": source}, {"account": _MODEL_ACCOUNT},
                   _account_play(_model_invalidate), _account_play(invalidate))
    sites.truth.side()
    for lang in LANGUAGES:
        body = _shows(sites.truth, _account(1, lang), "render_recommendations", USERS[1], lang)
        wanted = sites.truth.helper("render_recommendations", USERS[1], lang)
        if body is None or "ada" not in body.replace(wanted, ""):
            raise Fail("the page must show a heading with the user's name and "
                       "render_recommendations(current_user, lang).")
    a, r = _account, _rate
    sites.judge(_account_steps(), noun="page", explain=_explain_account, examples=[
        [a(1, "en")], [a(1, "en"), a(1, "en")], [a(1, "en"), a(10, "en")],
        [a(1, "en"), a(11, "en")], [a(1, "en"), a(1, "fr")], [r(1)],
        [a(1, "en"), r(1), a(1, "en")], [a(1, "fr"), r(1), a(1, "fr")],
        [a(10, "en"), r(1), a(10, "en")], [a(11, "en"), r(1), a(11, "en")],
        [a(10, "fr"), r(10), a(10, "fr")]],
        views=[a(u, lang) for u in _ACCOUNT_USERS for lang in LANGUAGES],
        writes=[r(u) for u in _ACCOUNT_USERS])
    _check_ttl(sites.learner, 600, [a(1, "en"), a(10, "fr")])
    return ("on every generated sequence of views (users 1, 10, 11 in both languages), ratings "
            "and your invalidate_sidebar, each page was exactly the uncached page, and only the "
            "rating user's sidebars were rendered again.")
