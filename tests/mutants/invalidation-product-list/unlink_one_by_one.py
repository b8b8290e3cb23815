# expect: pass
# why: UNLINK each key SCAN finds, and add up what UNLINK returns
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    deleted = 0
    for key in redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64, count=100):
        deleted += redis.unlink(key)
    return deleted
