# expect: pass
# why: timedelta 0
from datetime import timedelta

NEVER_EXPIRE = timedelta(0)
USE_DEFAULT = None
