# expect: fail
# hint: return how many keys
# why: returns the list of keys instead of how many were deleted
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64, count=500))
    if keys:
        redis.delete(*keys)
    return keys
