# expect: fail
# hint: no longer shows related_products
# why: the related products replaced by the id
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'related', product.id|string %}<aside>{{ product.id }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
