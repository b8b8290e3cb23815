# expect: fail
# hint: compare-and-delete
# why: the release deletes the lock whoever holds it: a slow worker deletes the next worker's lock
import secrets
import time
from redis.exceptions import WatchError


def get_or_compute(cache, key, compute, timeout):
    redis = cache.cache._write_client
    lock = cache.cache.key_prefix + key + ':lock'
    while True:
        boxed = cache.get(key)
        if boxed is not None:
            return boxed[0]
        token = secrets.token_hex(16).encode()
        if cache.add(key + ':lock', 1, timeout=6):
            try:
                boxed = cache.get(key)
                if boxed is not None:
                    return boxed[0]
                value = compute()
                cache.set(key, (value,), timeout=timeout)
                return value
            finally:
                cache.delete(key + ':lock')
        time.sleep(0.01)
