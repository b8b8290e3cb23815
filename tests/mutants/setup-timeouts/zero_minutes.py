# expect: pass
# why: 0 * 60 is still 0: no expiry
NEVER_EXPIRE = 0 * 60
USE_DEFAULT = None
