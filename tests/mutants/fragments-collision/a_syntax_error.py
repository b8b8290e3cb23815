# expect: fail
# hint: product.html does not compile
# why: an empty {% if %} in the product page
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'related', product.id|string %}{% if %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
