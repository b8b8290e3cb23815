# expect: fail
# hint: product 1's page saw product 2's related products: two products share one key
# why: the product block no longer varies on the product
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'related' %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
