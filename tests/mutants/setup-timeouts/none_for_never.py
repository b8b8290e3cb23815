# expect: fail
# hint: None means 'use the default
# why: None for never
NEVER_EXPIRE = None
USE_DEFAULT = None
