# expect: fail
# hint: different key on each call
# why: a random part makes every call a new key: nothing is ever read back
import uuid

def bump_products_version(cache):
    cache.cache.inc('products:version')


def product_key(cache, product_id):
    return f"product:{uuid.uuid4().hex}:{product_id}"
