# expect: fail
# hint: expires
# why: cache.set without timeout= uses the default timeout: the version expires
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    cache.set('products:version', (cache.get('products:version') or 0) + 1)
