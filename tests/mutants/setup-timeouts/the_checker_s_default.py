# expect: fail
# hint: not 'the default'
# why: the checker's default
NEVER_EXPIRE = 0
USE_DEFAULT = 123
