# expect: fail
# hint: does not start with the cache's key prefix
# why: the cache stores prefix + key, so a pattern without the prefix matches none of its keys

def invalidate_product_list(cache, redis):
    keys = list(redis.scan_iter(match='view//api/products*'))
    if keys:
        redis.delete(*keys)
    return len(keys)
