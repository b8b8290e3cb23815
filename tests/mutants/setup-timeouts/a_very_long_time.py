# expect: fail
# hint: still expires
# why: a very long time
NEVER_EXPIRE = 1000000000
USE_DEFAULT = None
