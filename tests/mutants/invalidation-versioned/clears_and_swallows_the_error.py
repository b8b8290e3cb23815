# expect: fail
# hint: cache.clear()
# why: tries cache.clear() and hides the refusal: the guard still reports it
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"

def bump_products_version(cache):
    try:
        cache.clear()
    except Exception:
        pass
    cache.cache.inc('products:version')
