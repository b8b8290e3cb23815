# expect: pass
# why: a dict as the box, EX in seconds, and redis.transaction() (WATCH, retried) for the compare-and-delete
import secrets
import time


def get_or_compute(cache, key, compute, timeout):
    redis = cache.cache._write_client
    lock = f"{cache.cache.key_prefix}{key}:lock"
    while True:
        hit = cache.get(key)
        if hit is not None:
            return hit["v"]
        token = secrets.token_hex(8)
        if redis.set(lock, token, nx=True, ex=5):
            try:
                hit = cache.get(key)
                if hit is not None:
                    return hit["v"]
                value = compute()
                cache.set(key, {"v": value}, timeout=timeout)
                return value
            finally:
                def release(pipe, token=token):
                    if pipe.get(lock) == token.encode():
                        pipe.multi()
                        pipe.delete(lock)
                try:
                    redis.transaction(release, lock)
                except Exception:
                    pass
        time.sleep(0.02)
