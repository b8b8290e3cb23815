# expect: fail
# hint: deprecated
# why: 0.0 works today but floats are deprecated by cachelib
NEVER_EXPIRE = 0.0
USE_DEFAULT = None
