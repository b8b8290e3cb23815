# expect: fail
# hint: already expired
# why: a negative timeout is already expired on SimpleCache and refused by Redis
NEVER_EXPIRE = -5
USE_DEFAULT = None
