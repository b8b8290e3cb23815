# expect: fail
# hint: still builds the old key
# why: the key uses a counter of this process's bumps, not the shared version
import itertools
_bumps = itertools.count(1)
_seen = {'version': 0}

def product_key(cache, product_id):
    return f"product:v{_seen['version']}:{product_id}"

def bump_products_version(cache):
    cache.cache.inc('products:version')
    _seen['version'] = next(_bumps)
