# expect: fail
# hint: it answered None
# why: returns None during an outage instead of computing the value
import logging

from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    try:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout=timeout)
        return value
    except Exception:
        return None
