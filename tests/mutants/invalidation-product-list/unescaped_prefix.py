# expect: fail
# hint: escape
# why: the prefix goes into the glob as it is: its '[', '*', '?' are read as a pattern and the cache's keys do not match

def invalidate_product_list(cache, redis):
    pattern = cache.cache.key_prefix + 'view//api/products' + '[0-9a-f]' * 64
    keys = list(redis.scan_iter(match=pattern, count=500))
    if keys:
        redis.delete(*keys)
    return len(keys)
