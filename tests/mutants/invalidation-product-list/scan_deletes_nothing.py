# expect: fail
# hint: still serve the old list
# why: finds the keys but never deletes them
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64))
    return len(keys)
