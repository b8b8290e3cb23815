# expect: fail
# hint: a bool is not a timeout
# why: False for never
NEVER_EXPIRE = False
USE_DEFAULT = None
