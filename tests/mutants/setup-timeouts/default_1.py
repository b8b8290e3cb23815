# expect: fail
# hint: USE_DEFAULT
# why: default -1
NEVER_EXPIRE = 0
USE_DEFAULT = -1
