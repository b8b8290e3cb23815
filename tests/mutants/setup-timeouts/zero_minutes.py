# expect: pass
# why: zero minutes
NEVER_EXPIRE = 0 * 60
USE_DEFAULT = None
