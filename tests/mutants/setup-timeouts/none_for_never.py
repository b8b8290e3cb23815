# expect: fail
# hint: None means 'use the default
# why: None means 'use CACHE_DEFAULT_TIMEOUT', so the entry expires
NEVER_EXPIRE = None
USE_DEFAULT = None
