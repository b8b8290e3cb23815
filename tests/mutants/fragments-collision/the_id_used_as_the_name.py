# expect: fail
# hint: saw product 2's related products
# why: the id as the fragment name: product 2 and user 2 share a key
FIXED_TEMPLATES = {'product.html': '<h1>{{ product.name }}\n{% cache 300, product.id|string %}<aside>{{ related_products(product) }}</aside>{% endcache %}', 'account.html': '<h1>{{ current_user.name }}\n{% cache 300, current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}'}
