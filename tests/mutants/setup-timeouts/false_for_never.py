# expect: fail
# hint: a bool is not a timeout
# why: False only works because Python counts it as 0
NEVER_EXPIRE = False
USE_DEFAULT = None
