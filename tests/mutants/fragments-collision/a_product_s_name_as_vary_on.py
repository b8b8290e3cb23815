# expect: fail
# hint: `render product 1's page` then `render product 11's page`: the second was served the first's page. Product 11's page saw product 1's related products
# why: varies on product names, which repeat
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'related', product.name %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
