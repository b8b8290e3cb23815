# expect: fail
# hint: waited
# why: two retries, but a constant backoff of 1 s between attempts
from redis.backoff import ConstantBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": 0.1, "socket_connect_timeout": 0.1, "retry": Retry(ConstantBackoff(1), 2)}
