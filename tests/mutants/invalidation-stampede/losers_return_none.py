# expect: fail
# hint: returned
# why: a caller that loses the lock returns None instead of waiting for the value
import secrets


def get_or_compute(cache, key, compute, timeout):
    redis = cache.cache._write_client
    lock = cache.cache.key_prefix + key + ':lock'
    boxed = cache.get(key)
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
    return None
