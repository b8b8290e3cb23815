# expect: fail
# hint: _template_fragment_cache_related_2
# why: 30 s instead of the 300 the tag had
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 30, 'related', product.id|string %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.id|string %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
