# expect: fail
# hint: second bump brought back an earlier key
# why: the bump sets the version to 2 every time: the second bump brings back the keys of the first
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    cache.set('products:version', 2, timeout=0)
