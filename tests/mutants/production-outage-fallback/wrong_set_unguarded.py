# expect: fail
# hint: guard the set too
# why: guards cache.get but not cache.set: the write still raises during an outage
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
        cache.set(key, value, timeout=timeout)
    return value
