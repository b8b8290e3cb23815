# expect: fail
# hint: with the cache down, compute() raised StockDatabaseError and your helper swallowed it
# why: the outage branch swallows compute()'s own error and answers None
import logging

import redis
from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    try:
        value = cache.get(key)
    except redis.exceptions.RedisError:
        try:
            return compute()
        except Exception:
            return None
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except redis.exceptions.RedisError:
            pass
    return value
