# expect: pass
# why: takes the lock first and looks only under it, with a dict as the box
import secrets
import time
from redis.exceptions import WatchError


def get_or_compute(cache, key, compute, timeout):
    redis = cache.cache._write_client
    lock = cache.cache.key_prefix + key + ':lock'
    while True:
        token = secrets.token_hex(16).encode()
        if redis.set(lock, token, nx=True, px=5000):
            try:
                entry = cache.get(key)
                if entry is None:
                    entry = {'value': compute()}
                    cache.set(key, entry, timeout=timeout)
                return entry['value']
            finally:
                with redis.pipeline() as pipe:
                    try:
                        pipe.watch(lock)
                        if pipe.get(lock) == token:
                            pipe.multi()
                            pipe.delete(lock)
                            pipe.execute()
                    except WatchError:
                        pass
        entry = cache.get(key)
        if entry is not None:
            return entry['value']
        time.sleep(0.01)
