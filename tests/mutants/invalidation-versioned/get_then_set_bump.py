# expect: fail
# hint: bumped at the same moment
# why: read, add one, write back: two workers bumping together lose a bump
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    version = cache.get('products:version') or 0
    cache.set('products:version', version + 1, timeout=0)
