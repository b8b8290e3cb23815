# expect: fail
# hint: adds its prefix again
# why: SCAN returns full Redis names; cache.delete adds the prefix again, so nothing is deleted
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64))
    for key in keys:
        cache.delete(key)
    return len(keys)
