# expect: pass
# why: no retry at all, a quarter of a second per call
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": 0.25, "socket_connect_timeout": 0.25, "retry": Retry(NoBackoff(), 0)}
