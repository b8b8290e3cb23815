# expect: fail
# hint: atomically
# why: has() then set(): two commands, both callers see no lock before either sets it
import secrets
import time


def get_or_compute(cache, key, compute, timeout):
    while True:
        boxed = cache.get(key)
        if boxed is not None:
            return boxed[0]
        token = secrets.token_hex(16).encode()
        if not cache.has(key + ':lock') and cache.set(key + ':lock', token, timeout=6):
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
