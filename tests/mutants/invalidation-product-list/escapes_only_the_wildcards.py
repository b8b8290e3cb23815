# expect: fail
# hint: escape
# why: escapes '*' and '?' but not '[': the prefix's '[' still opens a character class

def invalidate_product_list(cache, redis):
    prefix = cache.cache.key_prefix.replace('*', '\\*').replace('?', '\\?')
    keys = list(redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64, count=500))
    if keys:
        redis.delete(*keys)
    return len(keys)
