# expect: fail
# hint: NEVER_EXPIRE
# why: float('inf') cannot be converted to whole seconds
NEVER_EXPIRE = float("inf")
USE_DEFAULT = None
