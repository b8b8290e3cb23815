# expect: fail
# hint: released its lock before it stored the value
# why: the lock goes before the value is stored: a waiter finds neither and computes again
import secrets
import time


def get_or_compute(cache, key, compute, timeout):
    redis = cache.cache._write_client
    lock = cache.cache.key_prefix + key + ':lock'
    while True:
        boxed = cache.get(key)
        if boxed is not None:
            return boxed[0]
        token = secrets.token_hex(16).encode()
        if redis.set(lock, token, nx=True, px=6000):
            boxed = cache.get(key)
            if boxed is not None:
                redis.delete(lock)
                return boxed[0]
            try:
                value = compute()
            finally:
                redis.delete(lock)
            cache.set(key, (value,), timeout=timeout)
            return value
        time.sleep(0.01)
