# expect: pass
# why: one retry after a short constant wait: 0.3 + 0.05 + 0.3 s at most
from redis.backoff import ConstantBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": 0.3, "socket_connect_timeout": 0.3, "retry": Retry(ConstantBackoff(0.05), 1)}
