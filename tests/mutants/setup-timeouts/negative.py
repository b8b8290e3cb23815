# expect: fail
# hint: already expired
# why: negative
NEVER_EXPIRE = -1
USE_DEFAULT = None
