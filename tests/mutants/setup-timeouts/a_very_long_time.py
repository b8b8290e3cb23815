# expect: fail
# hint: still expires
# why: a billion seconds still expires: a number is always an expiry time
NEVER_EXPIRE = 1000000000
USE_DEFAULT = None
