# expect: fail
# hint: NEVER_EXPIRE
# why: infinity
NEVER_EXPIRE = float("inf")
USE_DEFAULT = None
