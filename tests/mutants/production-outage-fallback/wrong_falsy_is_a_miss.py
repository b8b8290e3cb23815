# expect: fail
# hint: value is None
# why: tests `if not value`: a cached 0 is recomputed on every request
import logging

from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    try:
        value = cache.get(key)
    except Exception:
        value = None
    if not value:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except Exception:
            pass
    return value
