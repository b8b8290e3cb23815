# expect: fail
# hint: USE_DEFAULT
# why: -1 is Redis's own 'no expiry' code and already expired on SimpleCache
NEVER_EXPIRE = 0
USE_DEFAULT = -1
