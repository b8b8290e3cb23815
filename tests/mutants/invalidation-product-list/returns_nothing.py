# expect: fail
# hint: return how many keys
# why: deletes the right keys but does not return how many, as the docstring asks
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64, count=500))
    if keys:
        redis.delete(*keys)
