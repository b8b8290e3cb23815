# expect: pass
# why: INCR, then returns the new version read back
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    cache.cache.inc('products:version')
    return cache.get('products:version')
