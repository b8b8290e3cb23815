# expect: fail
# hint: no arguments
# why: DEL with no key is an error when nothing is cached
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64))
    return redis.delete(*keys)
