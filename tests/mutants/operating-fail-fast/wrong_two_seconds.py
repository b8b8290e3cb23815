# expect: fail
# hint: waited
# why: no retry, but one attempt already waits 2 s
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2, "retry": Retry(NoBackoff(), 0)}
