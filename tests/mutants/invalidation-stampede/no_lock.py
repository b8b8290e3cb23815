# expect: fail
# hint: no lock
# why: no lock at all: two simultaneous misses both compute


def get_or_compute(cache, key, compute, timeout):
    boxed = cache.get(key)
    if boxed is not None:
        return boxed[0]
    value = compute()
    cache.set(key, (value,), timeout=timeout)
    return value
