# expect: fail
# hint: exact keys
# why: delete_many takes exact keys: it deletes the literal key 'view//api/products*'
import re

def invalidate_product_list(cache, redis):
    cache.delete_many('view//api/products*')
    return 1
