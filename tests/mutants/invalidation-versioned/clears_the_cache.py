# expect: fail
# hint: cache.clear()
# why: cache.clear() runs KEYS and deletes every key of the cache (others' too on a shared Redis)
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    cache.clear()
    cache.cache.inc('products:version')
