# expect: fail
# hint: no account.html
# why: only one of the two templates
FIXED_TEMPLATES = {'product.html': ''}
