"""A bounded load test: concurrent clients against a cached lesson app on the course's Redis.

Loopback only (or the embedded fakeredis), a fixed number of requests, a time limit.
"""

from __future__ import annotations

import threading
import time

from flask import Flask
from flask_caching import Cache

from support.backends import cache_keys, redis_config
from support.data import Product, count_queries, init_shop

THREADS = 8
REQUESTS_PER_THREAD = 150
PAGES = 10
TIME_LIMIT = 60.0


def _app() -> tuple[Flask, Cache]:
    app, cache = Flask("load_test"), Cache()
    cache.init_app(app, config=redis_config("load", CACHE_DEFAULT_TIMEOUT=120))
    init_shop(app)

    @app.get("/api/products")
    @cache.cached(query_string=True)
    def products():
        from flask import request

        page = int(request.args.get("page", 1))
        rows = Product.query.order_by(Product.id).offset((page - 1) * 4).limit(4).all()
        return {"page": page, "items": [p.to_dict() for p in rows]}

    return app, cache


def test_concurrent_clients_get_correct_pages_mostly_from_the_cache(capsys) -> None:
    app, cache = _app()
    errors: list[str] = []
    done = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT

    def client_loop(worker: int) -> None:
        client = app.test_client()
        for i in range(REQUESTS_PER_THREAD):
            if time.monotonic() > deadline:  # a hang guard, not a performance test
                return
            page = (worker + i) % PAGES + 1
            try:
                response = client.get(f"/api/products?page={page}")
                body = response.get_json()
                if response.status_code != 200 or body["page"] != page:
                    errors.append(f"page {page}: {response.status_code} {body}")
            except Exception as exc:
                errors.append(f"page {page}: {type(exc).__name__}: {exc}")
            with lock:
                done[0] += 1

    started = time.perf_counter()
    with count_queries() as queries:
        threads = [threading.Thread(target=client_loop, args=(w,)) for w in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIME_LIMIT + 5)
    elapsed = time.perf_counter() - started
    total = THREADS * REQUESTS_PER_THREAD
    try:
        assert not errors, errors[:5]
        assert done[0] == total
        # each page is computed at least once, at most once per thread that missed it at once
        assert PAGES <= queries.count <= PAGES * THREADS
        hit_ratio = 1 - queries.count / total
        with app.app_context():
            assert len(cache_keys(cache)) == PAGES
    finally:
        with app.app_context():  # exact keys under this test's prefix (clear() would use KEYS)
            cache.delete_many(*cache_keys(cache))
    with capsys.disabled():
        print(f"\nload test: {total} requests from {THREADS} threads in {elapsed:.2f} s "
              f"({total / elapsed:.0f} req/s), {queries.count} queries, hit ratio {hit_ratio:.3f}")
