"""support.data: a deterministic shop and an honest query counter."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from support import data
from support.data import Comment, Post, Product, Rating, User, count_queries, db, init_shop, reset_shop


@pytest.fixture()
def app() -> Flask:
    app = Flask("shop_test")
    init_shop(app)
    reset_shop(app)
    return app


def test_the_shop_is_seeded_deterministically(app: Flask) -> None:
    with app.app_context():
        assert Product.query.count() == data.N_PRODUCTS
        assert User.query.count() == data.N_USERS
        first = db.session.get(Product, 1).to_dict()
        posts, comments, ratings = Post.query.count(), Comment.query.count(), Rating.query.count()
    reset_shop(app)
    with app.app_context():
        assert db.session.get(Product, 1).to_dict() == first
        assert (Post.query.count(), Comment.query.count(), Rating.query.count()) == (
            posts, comments, ratings)
        assert posts > 0 and comments > 0 and ratings > 0


def test_count_queries_counts_each_statement(app: Flask) -> None:
    with app.app_context():
        with count_queries() as queries:
            Product.query.all()
            db.session.get(User, 3)
        assert queries.count == 2
        with count_queries() as none:
            pass
        assert none.count == 0


def test_count_queries_sees_other_threads(app: Flask) -> None:
    def read() -> None:
        with app.app_context():
            Product.query.count()

    with count_queries() as queries:
        threads = [threading.Thread(target=read) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert queries.count == 3


def test_two_apps_share_one_database(app: Flask) -> None:
    other = Flask("other_worker")
    init_shop(other)
    try:
        with app.app_context():
            db.session.add(Product(name="Shared", category="toys", price_cents=100, stock=1))
            db.session.commit()
        with other.app_context():
            assert Product.query.count() == data.N_PRODUCTS + 1
    finally:
        reset_shop(app)


def test_query_count_grows_with_every_statement(app: Flask) -> None:
    before = data.query_count()
    with app.app_context():
        Product.query.count()
    assert data.query_count() == before + 1


def test_latency_is_validated() -> None:
    with pytest.raises(ValueError):
        data.set_query_latency(-1)
    data.set_query_latency(0)
