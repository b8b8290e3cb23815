# expect: fail
# hint: put the version in the key
# why: the key ignores the version, so a bump changes nothing
def bump_products_version(cache):
    cache.cache.inc('products:version')

def product_key(cache, product_id):
    return f"product:{product_id}"
