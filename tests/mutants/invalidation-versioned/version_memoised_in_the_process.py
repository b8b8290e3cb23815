# expect: fail
# hint: state kept between calls
# why: the version is cached in a module variable: the other worker process keeps its old copy
_version = None

def product_key(cache, product_id):
    global _version
    if _version is None:
        _version = cache.get('products:version') or 0
    return f'product:v{_version}:{product_id}'

def bump_products_version(cache):
    global _version
    _version = cache.cache.inc('products:version')
