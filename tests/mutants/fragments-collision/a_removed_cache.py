# expect: fail
# hint: `render product 2's page` then `render product 2's page`: every answer was right
# why: the product block's cache tag removed
FIXED_TEMPLATES = {'product.html': '<h1>{{ product.name }}\n<aside>{{ related_products(product) }}</aside>', 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
