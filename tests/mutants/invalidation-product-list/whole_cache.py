# expect: fail
# hint: also deleted the rest of the cache
# why: prefix + '*' deletes every key of the cache, not only the list's pages
import re

def invalidate_product_list(cache, redis):
    prefix = re.sub(r"([*?\[\]\\])", r"\\\1", cache.cache.key_prefix)
    keys = list(redis.scan_iter(match=prefix + '*'))
    if keys:
        redis.delete(*keys)
    return len(keys)
