# expect: fail
# hint: Python variable
# why: the version lives in one process's memory: other workers never see the bump
VERSION = 0

def product_key(cache, product_id):
    return f"product:v{VERSION}:{product_id}"

def bump_products_version(cache):
    global VERSION
    VERSION += 1
