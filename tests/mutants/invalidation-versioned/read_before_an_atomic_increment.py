# expect: pass
# why: creates the version without a timeout if missing, then INCR: still atomic and never expires
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    if cache.get('products:version') is None:
        cache.add('products:version', 0, timeout=0)
    cache.cache.inc('products:version')
