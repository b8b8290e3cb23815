# expect: fail
# hint: not 'the default'
# why: fixed number
NEVER_EXPIRE = 0
USE_DEFAULT = 300
