# expect: fail
# hint: also deleted the cached product page
# why: 'view//api/products*' also matches view//api/products/1 and the other product pages
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + 'view//api/products*'))
    if keys:
        redis.delete(*keys)
    return len(keys)
