# expect: fail
# hint: cache.clear()
# why: cache.clear() runs KEYS and deletes the whole cache

def invalidate_product_list(cache, redis):
    cache.clear()
    return 0
