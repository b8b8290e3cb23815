# expect: fail
# hint: 0 means 'no expiry'
# why: 0 means no expiry, not 'use the default'
NEVER_EXPIRE = 0
USE_DEFAULT = 0
