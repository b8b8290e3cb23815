# expect: fail
# hint: not the timeout=30
# why: the value is stored with the default timeout, not the one the caller gives
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
        if redis.set(lock, token, nx=True, px=6000):
            try:
                boxed = cache.get(key)
                if boxed is not None:
                    return boxed[0]
                value = compute()
                cache.set(key, (value,))
                return value
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
        time.sleep(0.01)
