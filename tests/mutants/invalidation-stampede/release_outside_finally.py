# expect: fail
# hint: finally
# why: when compute() raises, the release is skipped and the lock stays
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
            if boxed is None:
                value = compute()
                cache.set(key, (value,), timeout=timeout)
                boxed = (value,)
            if redis.get(lock) == token:
                redis.delete(lock)
            return boxed[0]
        time.sleep(0.01)
