# expect: pass
# why: cache.has before cache.get, catching redis ConnectionError around the cache calls only
import logging

import redis
from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    hit = False
    try:
        hit = cache.has(key)
        value = cache.get(key) if hit else None
    except redis.exceptions.ConnectionError:
        hit = False
    if not hit or value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except redis.exceptions.ConnectionError:
            pass
    return value
