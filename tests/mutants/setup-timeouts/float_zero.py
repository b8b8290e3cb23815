# expect: fail
# hint: deprecated
# why: float zero
NEVER_EXPIRE = 0.0
USE_DEFAULT = None
