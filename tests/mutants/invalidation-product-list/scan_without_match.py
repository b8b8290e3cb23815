# expect: fail
# hint: has no match= pattern
# why: a SCAN without MATCH walks and returns every key of the database

def invalidate_product_list(cache, redis):
    keys = [k for k in redis.scan_iter() if b'view//api/products' in k]
    if keys:
        redis.delete(*keys)
    return len(keys)
