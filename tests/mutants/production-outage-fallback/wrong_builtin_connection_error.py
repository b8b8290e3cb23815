# expect: fail
# hint: escaped
# why: catches the built-in ConnectionError, which redis.exceptions.ConnectionError does not derive from
import logging

from flask_caching import Cache

cache = Cache()
log = logging.getLogger("shop.cache")


def get_or_compute(key, compute, timeout=None):
    try:
        value = cache.get(key)
    except ConnectionError:
        value = None
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except ConnectionError:
            pass
    return value
