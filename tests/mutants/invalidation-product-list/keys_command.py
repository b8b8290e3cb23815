# expect: fail
# hint: KEYS
# why: KEYS walks the whole database in one command and blocks every other client

def invalidate_product_list(cache, redis):
    keys = redis.keys(cache.cache.key_prefix + 'view//api/products*')
    if keys:
        redis.delete(*keys)
    return len(keys)
