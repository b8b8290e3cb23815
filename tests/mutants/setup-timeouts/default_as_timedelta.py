# expect: fail
# hint: not 'the default'
# why: five minutes fixed is not whatever CACHE_DEFAULT_TIMEOUT is configured to
from datetime import timedelta

NEVER_EXPIRE = 0
USE_DEFAULT = timedelta(seconds=300)
