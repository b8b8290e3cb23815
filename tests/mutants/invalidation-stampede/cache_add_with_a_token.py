# expect: pass
# why: cache.add (SETNX with an expiry) holding a token, released by a watched compare-and-delete
import secrets
import time
from redis.exceptions import WatchError


def get_or_compute(cache, key, compute, timeout):
    redis = cache.cache._write_client
    lock = cache.cache.key_prefix + key + ':lock'
    while True:
        boxed = cache.get(key)
        if boxed is not None:
            return boxed[0]
        token = secrets.token_hex(16).encode()
        if cache.add(key + ':lock', token, timeout=6):
            try:
                boxed = cache.get(key)
                if boxed is not None:
                    return boxed[0]
                value = compute()
                cache.set(key, (value,), timeout=timeout)
                return value
            finally:
                with redis.pipeline() as pipe:
                    try:
                        pipe.watch(lock)
                        if cache.get(key + ':lock') == token:
                            pipe.multi()
                            pipe.delete(lock)
                            pipe.execute()
                    except WatchError:
                        pass
        time.sleep(0.01)
