# expect: fail
# hint: another worker still builds the old key
# why: the version is read once per app and kept: another worker's bump is never seen
_seen = {}

def product_key(cache, product_id):
    from flask import current_app
    name = current_app.name
    if name not in _seen:
        _seen[name] = cache.get('products:version') or 0
    return f"product:v{_seen[name]}:{product_id}"

def bump_products_version(cache):
    from flask import current_app
    _seen.pop(current_app.name, None)
    cache.cache.inc('products:version')
