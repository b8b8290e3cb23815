# expect: fail
# hint: not 'the default'
# why: 123 happens to be one configured default, not the default whatever it is
NEVER_EXPIRE = 0
USE_DEFAULT = 123
