# expect: fail
# hint: other apps
# why: '*view//api/products*' also matches other apps' keys on a shared Redis

def invalidate_product_list(cache, redis):
    keys = list(redis.scan_iter(match='*view//api/products*'))
    if keys:
        redis.delete(*keys)
    return len(keys)
