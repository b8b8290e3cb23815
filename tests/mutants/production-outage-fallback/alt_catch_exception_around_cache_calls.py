# expect: pass
# why: catches Exception, but only around cache.get and cache.set: compute() stays outside
import logging

from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    try:
        value = cache.get(key)
    except Exception:
        value = None
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except Exception:
            pass
    return value
