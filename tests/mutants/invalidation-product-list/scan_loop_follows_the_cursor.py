# expect: pass
# why: SCAN called by hand until the cursor comes back to 0
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    pattern = prefix + 'view//api/products' + '[0-9a-f]' * 64
    cursor, deleted = 0, 0
    while True:
        cursor, keys = redis.scan(cursor, match=pattern, count=200)
        if keys:
            deleted += redis.unlink(*keys)
        if cursor == 0:
            return deleted
