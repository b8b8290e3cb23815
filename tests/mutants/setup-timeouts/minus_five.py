# expect: fail
# hint: already expired
# why: minus five
NEVER_EXPIRE = -5
USE_DEFAULT = None
