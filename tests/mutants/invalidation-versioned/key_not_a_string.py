# expect: fail
# hint: as a str
# why: returns a tuple, not the str the exercise asks for
def bump_products_version(cache):
    cache.cache.inc('products:version')

def product_key(cache, product_id):
    return (cache.get('products:version') or 0, product_id)
