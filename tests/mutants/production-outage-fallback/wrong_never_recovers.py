# expect: fail
# hint: after the cache came back
# why: remembers the outage in a global and never uses the cache again
import logging

from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    global BROKEN
    if not globals().get("BROKEN"):
        try:
            value = cache.get(key)
            if value is None:
                value = compute()
                cache.set(key, value, timeout=timeout)
            return value
        except Exception:
            BROKEN = True
    return compute()
