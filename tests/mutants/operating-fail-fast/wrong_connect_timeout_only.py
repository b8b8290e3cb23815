# expect: fail
# hint: waited
# why: a hung server accepts the connection at once: only socket_timeout bounds the wait for an answer
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_connect_timeout": 0.2, "retry": Retry(NoBackoff(), 0)}
