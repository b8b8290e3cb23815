# expect: fail
# hint: literal key 'view//api/products'
# why: deletes the key 'view//api/products', but with query_string=True every page's key ends with a hash

def invalidate_product_list(cache, redis):
    cache.delete('view//api/products')
    return 1
