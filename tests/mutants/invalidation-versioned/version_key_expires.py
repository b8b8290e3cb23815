# expect: fail
# hint: expires
# why: the version expires after 5 s: it starts again at 0 and old entries come back
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    version = cache.get('products:version') or 0
    cache.set('products:version', version + 1, timeout=5)
