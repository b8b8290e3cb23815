# expect: fail
# hint: exact keys
# why: delete_many takes exact keys: it deletes the literal key 'view//api/products*'

def invalidate_product_list(cache, redis):
    cache.delete_many('view//api/products*')
    return 1
