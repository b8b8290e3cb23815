# expect: fail
# hint: /api/products-archive
# why: 'view//api/products[^/]*' also matches /api/products-archive's pages
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + 'view//api/products[^/]*', count=500))
    if keys:
        redis.delete(*keys)
    return len(keys)
