# expect: fail
# hint: compare-and-delete
# why: the release deletes the lock whoever holds it: a slow worker deletes the next worker's lock
import time


def get_or_compute(cache, key, compute, timeout):
    while True:
        boxed = cache.get(key)
        if boxed is not None:
            return boxed[0]
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
