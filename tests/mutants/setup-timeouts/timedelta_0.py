# expect: pass
# why: timedelta(0) means 0 seconds, no expiry, and Flask-Caching 2.5 takes timedeltas
from datetime import timedelta

NEVER_EXPIRE = timedelta(0)
USE_DEFAULT = None
