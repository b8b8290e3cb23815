# expect: fail
# hint: only the bare path
# why: delete_cached removes the bare path's entry only; ?page=1, ?page=2 keep theirs

def invalidate_product_list(cache, redis):
    from flask import current_app
    view = current_app.view_functions['list_products']
    cache.delete_cached(view, '/api/products', {})
    return 1
