# expect: fail
# hint: stopped after one call
# why: one SCAN call sees only part of the key space; the cursor it returns is never followed
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    cursor, keys = redis.scan(0, match=prefix + 'view//api/products' + '[0-9a-f]' * 64, count=100)
    if keys:
        redis.delete(*keys)
    return len(keys)
