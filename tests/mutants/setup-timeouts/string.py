# expect: fail
# hint: raised TypeError
# why: string
NEVER_EXPIRE = "0"
USE_DEFAULT = None
