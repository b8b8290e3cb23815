# expect: fail
# hint: raised TypeError
# why: '0' is a string: cache.set refuses it
NEVER_EXPIRE = "0"
USE_DEFAULT = None
