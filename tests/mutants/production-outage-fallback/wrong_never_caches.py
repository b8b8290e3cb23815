# expect: fail
# hint: store the computed value
# why: computes on every call and never uses the cache
import logging

from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    return compute()
