# expect: pass
# why: UNLINKs queued in a pipeline; execute() returns how many each deleted
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    pipe = redis.pipeline()
    for key in redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64):
        pipe.unlink(key)
    return sum(pipe.execute())
