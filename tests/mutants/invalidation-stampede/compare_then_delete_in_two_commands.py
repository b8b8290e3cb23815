# expect: fail
# hint: in two commands
# why: GET then DEL: the lock can change hands between them
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
            try:
                boxed = cache.get(key)
                if boxed is not None:
                    return boxed[0]
                value = compute()
                cache.set(key, (value,), timeout=timeout)
                return value
            finally:
                if redis.get(lock) == token:
                    redis.delete(lock)
        time.sleep(0.01)
