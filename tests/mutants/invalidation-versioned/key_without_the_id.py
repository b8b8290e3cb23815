# expect: fail
# hint: product id
# why: every product shares one key per version
def bump_products_version(cache):
    cache.cache.inc('products:version')

def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}"
