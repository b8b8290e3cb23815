# expect: fail
# hint: Do not store a marker
# why: stores a marker when compute() fails, and serves it after the database recovers
import logging

import redis
from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    try:
        value = cache.get(key)
    except redis.exceptions.RedisError:
        value = None
    if value is None:
        try:
            value = compute()
        except Exception:
            cache.set(key, "unavailable", timeout=timeout)
            raise
        try:
            cache.set(key, value, timeout=timeout)
        except redis.exceptions.RedisError:
            pass
    return value
