# expect: fail
# hint: escaped
# why: keeps an outage marker in the cache itself; a cache.set in the except escapes
import logging

import redis
from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    if cache.get("cache-was-down"):
        cache.delete("cache-was-down")
        return compute()
    try:
        value = cache.get(key)
    except redis.exceptions.RedisError:
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except redis.exceptions.RedisError:
            cache.set("cache-was-down", True)
    return value
