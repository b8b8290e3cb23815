# expect: fail
# hint: pages the exercise names are fresh
# why: deletes the three pages the exercise names; ?page=3 and other query strings stay stale

def invalidate_product_list(cache, redis):
    from flask import current_app
    view = current_app.view_functions['list_products']
    for query in ({}, {'page': 1}, {'page': 2}):
        cache.delete_cached(view, '/api/products', query)
    return 3
