# expect: fail
# hint: separator
# why: version 1 + product 11 and version 11 + product 1 give the same key
def bump_products_version(cache):
    cache.cache.inc('products:version')

def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}{product_id}"
