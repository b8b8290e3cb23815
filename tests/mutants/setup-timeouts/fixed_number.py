# expect: fail
# hint: not 'the default'
# why: 300 fixed is not 'the default': it ignores CACHE_DEFAULT_TIMEOUT
NEVER_EXPIRE = 0
USE_DEFAULT = 300
