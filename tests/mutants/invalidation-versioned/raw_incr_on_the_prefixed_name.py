# expect: pass
# why: INCR on the client under the cache, with the prefix added by hand; the key reads the same name
def _version_name(cache):
    return cache.cache.key_prefix + 'catalogue:version'

def product_key(cache, product_id):
    version = cache.cache._read_client.get(_version_name(cache))
    return f"product:v{int(version or 0)}:{product_id}"

def bump_products_version(cache):
    cache.cache._write_client.incr(_version_name(cache))
