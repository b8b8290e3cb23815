# expect: fail
# hint: after the lock is yours, read the cache again
# why: looks twice before taking the lock, never after: a value stored in between is computed again
import secrets
import time


def get_or_compute(cache, key, compute, timeout):
    redis = cache.cache._write_client
    lock = cache.cache.key_prefix + key + ':lock'
    while True:
        boxed = cache.get(key)
        if boxed is None:
            boxed = cache.get(key)   # the second look, but before the lock
        if boxed is not None:
            return boxed[0]
        token = secrets.token_hex(16).encode()
        if redis.set(lock, token, nx=True, px=6000):
            try:
                value = compute()
                cache.set(key, (value,), timeout=timeout)
                return value
            finally:
                redis.delete(lock)
        time.sleep(0.01)
