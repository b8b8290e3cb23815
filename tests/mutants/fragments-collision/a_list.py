# expect: fail
# hint: should be a dict
# why: a list of names instead of a dict
FIXED_TEMPLATES = ['product.html']
