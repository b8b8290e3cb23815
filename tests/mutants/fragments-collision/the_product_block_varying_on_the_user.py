# expect: fail
# hint: `render product 2's page`: rendering it raised UndefinedError
# why: the product page has no current_user
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'related', current_user.id|string %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
