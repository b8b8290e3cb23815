# expect: fail
# hint: already expired
# why: -1 is already expired on SimpleCache (no expiry only on Redis)
NEVER_EXPIRE = -1
USE_DEFAULT = None
