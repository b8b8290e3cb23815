# expect: fail
# hint: user 11's account page saw user 1's account sidebar
# why: varies the account block on user names, which repeat
FIXED_TEMPLATES = {'product.html': "<h1>{{ product.name }}\n{% cache 300, 'related', product.id|string %}<aside>{{ related_products(product) }}</aside>{% endcache %}", 'account.html': "<h1>{{ current_user.name }}\n{% cache 300, 'sidebar', current_user.name %}<aside>{{ render_recommendations(current_user) }}</aside>{% endcache %}"}
