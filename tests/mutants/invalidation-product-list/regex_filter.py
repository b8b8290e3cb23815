# expect: pass
# why: a broad SCAN of the escaped prefix, filtered with a regex on the name after the prefix
import re

def invalidate_product_list(cache, redis):
    prefix = cache.cache.key_prefix
    escaped = re.sub(r'([*?\[\]\\])', r'\\\1', prefix)
    keys = [key for key in redis.scan_iter(match=escaped + 'view//api/products*')
            if re.fullmatch(r'view//api/products[0-9a-f]{64}', key.decode()[len(prefix):])]
    if keys:
        redis.delete(*keys)
    return len(keys)
