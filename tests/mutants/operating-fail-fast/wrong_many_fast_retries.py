# expect: fail
# hint: waited
# why: each attempt is short, but ten of them add up to more than a second
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": 0.2, "socket_connect_timeout": 0.2, "retry": Retry(NoBackoff(), 10)}
