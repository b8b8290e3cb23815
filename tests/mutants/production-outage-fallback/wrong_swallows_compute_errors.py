# expect: fail
# hint: swallowed it
# why: the except wraps compute() too: its own error becomes a None answer
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
        try:
            value = compute()
            cache.set(key, value, timeout=timeout)
        except Exception:
            pass
    return value
