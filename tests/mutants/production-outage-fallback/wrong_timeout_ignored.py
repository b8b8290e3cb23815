# expect: fail
# hint: timeout=45
# why: drops the timeout: the entry gets the default lifetime, not the one asked for
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
            cache.set(key, value)
        except Exception:
            pass
    return value
