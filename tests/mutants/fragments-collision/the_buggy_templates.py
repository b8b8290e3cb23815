# expect: fail
# hint: user 2's account page saw product 2's related products: two blocks share a key
# why: both blocks still called 'sidebar': product 2 and user 2 share a key
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'sidebar', product.id|string %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
