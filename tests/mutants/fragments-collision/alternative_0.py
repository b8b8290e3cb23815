# expect: pass
# why: distinct names and string ids: cache 300, 'product-related', product.id|string / cache 300, 'account-recs', current_user.id|string
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'product-related', product.id|string %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'account-recs', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
