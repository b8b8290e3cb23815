# expect: fail
# hint: cache.clear()
# why: cache.clear() runs KEYS and deletes the whole cache
import re

def invalidate_product_list(cache, redis):
    cache.clear()
    return 0
