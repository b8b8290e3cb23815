# expect: fail
# hint: built different keys for product 1
# why: hash() of a str is salted per process (PYTHONHASHSEED): every worker builds other keys
def product_key(cache, product_id):
    version = cache.get("products:version") or 0
    return f"product:v{version}:{product_id}:{hash('catalogue') % 100000}"


def bump_products_version(cache):
    cache.cache.inc("products:version")
