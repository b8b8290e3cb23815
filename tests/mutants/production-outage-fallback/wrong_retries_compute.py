# expect: fail
# hint: called it again
# why: calls compute() again when it raises: a failing database is hit twice
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
        except Exception:
            value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except Exception:
            pass
    return value
