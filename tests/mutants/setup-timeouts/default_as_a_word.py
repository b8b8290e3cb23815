# expect: fail
# hint: raised TypeError
# why: the string 'default' is not a timeout
NEVER_EXPIRE = 0
USE_DEFAULT = "default"
