"""A small, deterministic sample shop in SQLite, with a query counter.

Flask-SQLAlchemy models let lessons write ``Product.query.all()`` as the article does. Every SQL
statement that reaches SQLite is counted, so a lesson can prove "the query ran once":

    app = Flask(__name__)
    init_shop(app)
    with count_queries() as queries:
        client.get("/api/products")
    queries.count  # -> 1

All apps of one Python process share one seeded database file (two app instances can stand for
two workers that share a database). ``set_query_latency`` adds a fixed delay to every statement
to stand for a database across a network.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine

db = SQLAlchemy()

SEED = 2024
N_USERS = 12
N_PRODUCTS = 40
POSTS_PER_USER = (0, 6)
COMMENTS_PER_POST = (0, 4)
RATINGS_PER_USER = (0, 8)

CATEGORIES = ["books", "garden", "kitchen", "music", "toys"]
_ADJECTIVES = ["Blue", "Quiet", "Rapid", "Golden", "Tiny", "Sturdy", "Smart", "Retro"]
_NOUNS = ["Kettle", "Lamp", "Notebook", "Speaker", "Planter", "Puzzle", "Whisk", "Drum"]
_NAMES = ["ada", "ben", "chloe", "dev", "emma", "finn", "gita", "hugo", "ines", "jon", "kai",
          "lea", "mo", "nia", "otto", "pia"]


class Product(db.Model):  # type: ignore[name-defined]
    """A product of the shop's catalogue."""

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    category = db.Column(db.String(20), nullable=False, index=True)
    price_cents = db.Column(db.Integer, nullable=False)
    stock = db.Column(db.Integer, nullable=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "category": self.category,
                "price": self.price_cents / 100, "stock": self.stock}


class User(db.Model):  # type: ignore[name-defined]
    """A customer."""

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    email = db.Column(db.String(80), nullable=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "email": self.email}


class Post(db.Model):  # type: ignore[name-defined]
    """A post a user wrote."""

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    title = db.Column(db.String(120), nullable=False)


class Comment(db.Model):  # type: ignore[name-defined]
    """A comment on a post."""

    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("post.id"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    body = db.Column(db.String(200), nullable=False)


class Rating(db.Model):  # type: ignore[name-defined]
    """A user's score (1-5) for a product."""

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), nullable=False)
    score = db.Column(db.Integer, nullable=False)


# --- the query counter ---------------------------------------------------------------------


@dataclass
class QueryLog:
    """What ran inside one ``count_queries()`` block."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.statements)

    def __repr__(self) -> str:
        return f"<{self.count} queries>"


_lock = threading.Lock()
_total = 0
_open_logs: list[QueryLog] = []
_latency = 0.0


@event.listens_for(Engine, "before_cursor_execute")
def _count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    global _total
    with _lock:
        _total += 1
        for log in _open_logs:
            log.statements.append(statement)
    if _latency:
        time.sleep(_latency)


def query_count() -> int:
    """How many SQL statements this process has run so far."""
    return _total


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Count the statements run inside the block (from every thread)."""
    log = QueryLog()
    with _lock:
        _open_logs.append(log)
    try:
        yield log
    finally:
        with _lock:
            _open_logs.remove(log)


def set_query_latency(seconds: float) -> None:
    """Make every statement take ``seconds`` longer, like a database across a network."""
    global _latency
    if seconds < 0:
        raise ValueError("latency cannot be negative")
    _latency = float(seconds)


# --- the database --------------------------------------------------------------------------

_shop_file: Path | None = None


def shop_path() -> Path:
    """The SQLite file that every app of this process shares (created on first use)."""
    global _shop_file
    if _shop_file is None:
        from support.backends import temporary_folder

        _shop_file = Path(temporary_folder("fcc-shop-")) / "shop.sqlite"
    return _shop_file


def init_shop(app: Flask) -> None:
    """Give ``app`` the sample shop: configure, ``db.init_app``, and seed it if it is new."""
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{shop_path()}")
    db.init_app(app)
    with app.app_context():
        if not _tables_exist() or db.session.get(User, 1) is None:
            _create_and_seed()


def reset_shop(app: Flask) -> None:
    """Throw away every change and reseed the shop that ``app`` uses."""
    with app.app_context():
        db.drop_all()
        _create_and_seed()


def _tables_exist() -> bool:
    from sqlalchemy import inspect

    return inspect(db.engine).has_table("user")


def _create_and_seed() -> None:
    db.create_all()
    rng = random.Random(SEED)
    for i in range(1, N_PRODUCTS + 1):
        db.session.add(Product(
            id=i,
            name=f"{_ADJECTIVES[i % len(_ADJECTIVES)]} {_NOUNS[(i * 3) % len(_NOUNS)]} {i}",
            category=CATEGORIES[i % len(CATEGORIES)],
            price_cents=rng.randrange(299, 9999),
            stock=rng.randrange(0, 50),
        ))
    post_id = comment_id = rating_id = 0
    for u in range(1, N_USERS + 1):
        name = _NAMES[(u - 1) % len(_NAMES)]
        db.session.add(User(id=u, name=name, email=f"{name}@example.com"))
        for _ in range(rng.randint(*POSTS_PER_USER)):
            post_id += 1
            db.session.add(Post(id=post_id, user_id=u, title=f"Post {post_id} by {name}"))
        for _ in range(rng.randint(*RATINGS_PER_USER)):
            rating_id += 1
            db.session.add(Rating(id=rating_id, user_id=u,
                                  product_id=rng.randint(1, N_PRODUCTS),
                                  score=rng.randint(1, 5)))
    db.session.flush()
    for p in range(1, post_id + 1):
        for _ in range(rng.randint(*COMMENTS_PER_POST)):
            comment_id += 1
            db.session.add(Comment(id=comment_id, post_id=p,
                                   user_id=rng.randint(1, N_USERS), body=f"Comment {comment_id}"))
    db.session.commit()
