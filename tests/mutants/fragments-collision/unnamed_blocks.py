# expect: fail
# hint: unnamed
# why: unnamed blocks are keyed by line number only
FIXED_TEMPLATES = {'product.html': '<h1>{{ product.name }}\n{% cache 300 %}<aside>{{ related_products(product) }}</aside>{% endcache %}', 'account.html': '<h1>{{ current_user.name }}\n{% cache 300 %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}'}
