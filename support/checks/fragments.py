"""Checkers for lesson 05 (template fragments).

Each checker renders the learner's templates in a small app of its own (SimpleCache, a
``DictLoader``), with template helpers that count their calls, so it can tell which fragments
ran, which came from the cache, and under which keys they were stored.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template, render_template_string
from flask_caching import Cache, make_template_fragment_key
from jinja2 import DictLoader, TemplateSyntaxError, UndefinedError

from support.backends import simple_config
from support.grading import Fail, Namespace, exercise

LANGUAGES = ("en", "fr")
_STRING_FIX = ("The values a {% cache %} tag varies on must be strings (Flask-Caching joins them "
               "with '_'.join): apply Jinja's string filter, e.g. current_user.id|string.")


class _Record:
    """A user or a product as the templates see it: an int ``id`` and a ``name``."""

    def __init__(self, kind: str, id: int, name: str) -> None:
        self.kind, self.id, self.name = kind, id, name

    def __repr__(self) -> str:
        return f"<{self.kind} {self.id}>"


USERS = {1: _Record("User", 1, "ada"), 2: _Record("User", 2, "ben")}
PRODUCTS = {2: _Record("Product", 2, "Rapid Whisk 2"), 3: _Record("Product", 3, "Tiny Lamp 3")}


class _Shop:
    """A Flask app with its own cache, the learner's templates, and counting helpers."""

    def __init__(self, templates: Mapping[str, str] | None = None) -> None:
        self.app = Flask("fragments_check")
        self.cache = Cache()
        self.cache.init_app(self.app, config=simple_config(CACHE_DEFAULT_TIMEOUT=50))
        self.app.jinja_loader = DictLoader(dict(templates or {}))
        self.calls: Counter[tuple[str, Any]] = Counter()
        self.recs = {1: "Golden Lamp 27, Tiny Planter 12", 2: "Smart Notebook 30"}
        helpers = {
            "render_notifications": self.render_notifications,
            "render_recommendations": self.render_recommendations,
            "related_products": self.related_products,
        }
        self.app.jinja_env.globals.update(helpers)

    def render_notifications(self, user: Any) -> str:
        self.calls["notifications", getattr(user, "id", user)] += 1
        return f"{3 if getattr(user, 'id', None) == 1 else 0} new comments for {user.name}"

    def render_recommendations(self, user: Any, lang: str = "en") -> str:
        self.calls["recommendations", getattr(user, "id", user), lang] += 1
        return f"[{lang}] Recommended for {user.name}: {self.recs.get(user.id, '')}"

    def related_products(self, product: Any) -> str:
        self.calls["related", getattr(product, "id", product)] += 1
        return f"Related to {product.name}"

    def keys(self) -> list[str]:
        with self.app.app_context():
            return sorted(self.cache.cache._cache)

    def seconds_left(self, key: str) -> float | None:
        with self.app.app_context():
            entry = self.cache.cache._cache.get(key)
        if entry is None:
            return None
        return float("inf") if entry[0] == 0 else entry[0] - time.time()

    def render(self, what: str, source: str | None = None, **context: Any) -> str:
        """Render template ``what`` (or ``source``); the learner's slips become a Fail."""
        with self.app.test_request_context():
            try:
                if source is not None:
                    return render_template_string(source, **context)
                return render_template(what, **context)
            except TemplateSyntaxError as exc:  # raised when a template is first compiled
                raise Fail(_syntax_message(what, exc)) from None
            except UndefinedError as exc:
                raise Fail(f"rendering {what} raised UndefinedError: {exc}. Templates have no "
                           "Python builtins such as str(); use Jinja's filter: value|string.") \
                    from None
            except TypeError as exc:
                if "expected str instance" in str(exc):
                    raise Fail(f"rendering {what} raised TypeError: {exc}. {_STRING_FIX}") \
                        from None
                raise Fail(f"rendering {what} raised TypeError: {exc}") from None
            except Exception as exc:
                raise Fail(f"rendering {what} raised {type(exc).__name__}: {exc}") from None


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


def _template(ns: Namespace, name: str) -> str:
    source = ns.answer(name)
    if not isinstance(source, str):
        raise Fail(f"`{name}` should be the template's source, a str, not a "
                   f"{type(source).__name__}.")
    _compile(source, f"`{name}`")
    return source


def _compile(source: str, what: str) -> None:
    env = _Shop().app.jinja_env
    try:
        env.from_string(source)
    except TemplateSyntaxError as exc:
        raise Fail(_syntax_message(what, exc)) from None


# --- 1. the article's TypeError -------------------------------------------------------------


@exercise("fragments-int-id", hint=(
    "The third value in the tag is what the fragment varies on. User ids are ints, and "
    "Flask-Caching joins these values with '_'.join(...), which takes only strings: apply "
    "Jinja's `string` filter."))
def check_int_id(ns: Namespace) -> str:
    source = _template(ns, "SIDEBAR_TEMPLATE")
    shop = _Shop()
    ada, ben = USERS[1], USERS[2]
    what = "`SIDEBAR_TEMPLATE`"
    first = shop.render(what, source, current_user=ada)
    for part in (shop.render_notifications, shop.render_recommendations):
        if part(ada) not in first:
            raise Fail(f"the sidebar no longer shows {part.__name__}(current_user): keep the "
                       "article's two lines inside the {% cache %} block.")
    shop.calls.clear()
    shop.render(what, source, current_user=ada)
    if shop.calls["recommendations", 1, "en"] or not shop.keys():
        raise Fail("the sidebar is not cached: render_recommendations ran again on the second "
                   "render. Keep the {% cache 300, 'sidebar', ... %} ... {% endcache %} tag and "
                   "fix only its key.")
    second_user = shop.render(what, source, current_user=ben)
    if "for ada" in second_user:
        raise Fail(f"ben was shown ada's sidebar: the fragment's key does not vary on the user "
                   f"(keys: {shop.keys()}). Put current_user.id|string after the name.")
    wanted = make_template_fragment_key("sidebar", vary_on=["1"])
    if wanted not in shop.keys():
        raise Fail(f"the sidebar is cached per user, but under {shop.keys()}, not under the name "
                   "'sidebar' with the user's id as a string. Invalidation code builds "
                   "make_template_fragment_key('sidebar', vary_on=[str(user.id)]), so the tag "
                   "must be {% cache 300, 'sidebar', current_user.id|string %}.")
    left = shop.seconds_left(wanted)
    if left is None or not 290 <= left <= 301:
        shown = "never expires" if left == float("inf") else f"expires in about {left:.0f} s"
        raise Fail(f"the sidebar {shown}: keep the article's timeout of 300 seconds.")
    return ("the sidebar renders for int ids and is cached once per user, under "
            f"{wanted!r} for user 1.")


# --- 2. a key collision ---------------------------------------------------------------------

_PAGES = ("product.html", "account.html")


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
        _compile(templates[name], name)

    product_first = _Shop(templates)
    product_first.render("product.html", product=PRODUCTS[2])
    account = product_first.render("account.html", current_user=USERS[2])
    account_first = _Shop(templates)
    account_first.render("account.html", current_user=USERS[2])
    product = account_first.render("product.html", product=PRODUCTS[2])
    for shop, page, wrong in ((product_first, account, "Related to"),
                              (account_first, product, "Recommended for")):
        if wrong in page:
            keys = shop.keys()
            unnamed = [key for key in keys if key.startswith("_template_fragment_cache_None")]
            if unnamed:
                raise Fail(f"both fragments are unnamed, so each is named after its template's "
                           f"file name and line; templates from a DictLoader or a string have "
                           f"no file name, and both blocks get the key {unnamed[0]!r}. Give "
                           "each block its own name.")
            raise Fail(f"user 2's account page and product 2's page still share one cache entry "
                       f"(keys: {keys}): the fragment names must differ, e.g. 'related' and "
                       "'sidebar'.")
    if "Related to Rapid Whisk 2" not in product or "Recommended for ben" not in account:
        raise Fail("the pages no longer show their blocks: product.html must call "
                   "related_products(product) and account.html render_recommendations(current_user).")

    shop = _Shop(templates)
    for _ in range(2):
        shop.render("product.html", product=PRODUCTS[2])
        shop.render("account.html", current_user=USERS[2])
    if shop.calls["related", 2] > 1:
        raise Fail("the related-products block is not cached any more: related_products ran on "
                   "every render. Keep its {% cache %} tag; change only the name.")
    if shop.calls["recommendations", 2, "en"] > 1:
        raise Fail("the account sidebar is not cached any more: keep its {% cache %} tag; "
                   "change only the name.")
    other_product = shop.render("product.html", product=PRODUCTS[3])
    if "Related to Tiny Lamp 3" not in other_product:
        raise Fail("product 3's page showed product 2's related products: the block must still "
                   "vary on product.id|string.")
    other_user = shop.render("account.html", current_user=USERS[1])
    if "Recommended for ada" not in other_user:
        raise Fail("ada's account page showed ben's sidebar: the block must still vary on "
                   "current_user.id|string.")
    return f"each block has its own key now: {shop.keys()}."


# --- 3. invalidate one user's fragments -----------------------------------------------------


@exercise("fragments-invalidate", hint=(
    "Cache the block with {% cache 600, 'a name', current_user.id|string, lang %}. "
    "make_template_fragment_key takes the same name and vary_on=[the same values, as "
    "strings, in the same order]; delete one key per language."))
def check_invalidate(ns: Namespace) -> str:
    source = _template(ns, "ACCOUNT_TEMPLATE")
    invalidate = ns.function("invalidate_sidebar")
    shop = _Shop()
    pages = [(user_id, lang) for user_id in USERS for lang in LANGUAGES]

    def render_all() -> dict[tuple[int, str], str]:
        return {(user_id, lang): shop.render("`ACCOUNT_TEMPLATE`", source,
                                             current_user=USERS[user_id], lang=lang)
                for user_id, lang in pages}

    bodies = render_all()
    for (user_id, lang), body in bodies.items():
        wanted = shop.render_recommendations(USERS[user_id], lang)
        if wanted not in body:
            name = USERS[user_id].name
            if f"Recommended for {name}" not in body:
                raise Fail(f"{name}'s page showed another user's sidebar: vary the fragment on "
                           "current_user.id|string.")
            if "render_recommendations" not in source or "lang" not in source:
                raise Fail("the sidebar must show render_recommendations(current_user, lang).")
            raise Fail(f"the '{lang}' page showed the sidebar of another language: vary the "
                       "fragment on lang as well as on the user.")
    shop.calls.clear()
    render_all()
    if any(key[0] == "recommendations" for key in shop.calls):
        raise Fail("the sidebar is not cached: render_recommendations ran again on the second "
                   "round of renders. Wrap it in {% cache 600, ... %} ... {% endcache %}.")
    keys = shop.keys()
    left = [shop.seconds_left(key) for key in keys]
    if not all(value is not None and 590 <= value <= 601 for value in left):
        raise Fail("cache the sidebar for 10 minutes: the timeout is in seconds, 600.")

    shop.recs[1] = "Blue Kettle 8"  # ada rates a product: her recommendations change
    with shop.app.app_context():
        try:
            invalidate(shop.cache, 1)
        except TypeError as exc:
            if "expected str instance" in str(exc):
                raise Fail(f"invalidate_sidebar(cache, 1) raised TypeError: {exc}. vary_on "
                           "values must be strings, as in the template: str(user_id).") from None
            raise Fail(f"invalidate_sidebar(cache, 1) raised TypeError: {exc}") from None
        except KeyError as exc:
            if isinstance(exc.args[0] if exc.args else None, Cache):
                raise Fail("invalidate_sidebar used another Cache than the one it was given: "
                           "call cache.delete(...) on its `cache` argument.") from None
            raise Fail(f"invalidate_sidebar(cache, 1) raised KeyError: {exc}") from None
        except Exception as exc:
            raise Fail(f"invalidate_sidebar(cache, 1) raised {type(exc).__name__}: {exc}") \
                from None
    shop.calls.clear()
    after = render_all()
    stale = [lang for lang in LANGUAGES if "Blue Kettle 8" not in after[1, lang]]
    if len(stale) == len(LANGUAGES):
        raise Fail(f"nothing was deleted: ada's sidebar still shows her old recommendations. "
                   f"The keys invalidate_sidebar builds do not match the template's "
                   f"({keys}): use the tag's name and vary_on=[str(user_id), lang], "
                   "in the tag's order.")
    if stale:
        raise Fail(f"ada's '{stale[0]}' sidebar still shows her old recommendations: delete the "
                   f"fragment for every language in LANGUAGES {LANGUAGES}.")
    if any(key[0] == "recommendations" and key[1] == 2 for key in shop.calls):
        raise Fail("ben's sidebar was rendered again too: delete only the given user's "
                   "fragments (not cache.clear()).")
    return ("only ada's two sidebars were rendered again, with her new recommendations; "
            "ben's stayed cached.")
