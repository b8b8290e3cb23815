# expect: fail
# hint: not 'the default'
# why: default as timedelta
from datetime import timedelta

NEVER_EXPIRE = 0
USE_DEFAULT = timedelta(seconds=300)
