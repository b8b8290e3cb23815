# expect: fail
# hint: threading.Lock
# why: a threading.Lock stops this process's threads only, not the other workers
import threading
_lock = threading.Lock()

def get_or_compute(cache, key, compute, timeout):
    with _lock:
        boxed = cache.get(key)
        if boxed is None:
            boxed = (compute(),)
            cache.set(key, boxed, timeout=timeout)
    return boxed[0]
