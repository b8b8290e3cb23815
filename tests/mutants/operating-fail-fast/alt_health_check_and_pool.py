# expect: pass
# why: fast timeouts and two retries, plus a health check and a pool cap (extra options that do no harm)
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {
    "socket_timeout": 0.1,
    "socket_connect_timeout": 0.1,
    "retry": Retry(NoBackoff(), 2),
    "health_check_interval": 30,
    "max_connections": 20,
}
