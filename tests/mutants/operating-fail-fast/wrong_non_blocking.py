# expect: fail
# why: socket_timeout=0 makes the sockets non-blocking: reads fail while Redis is up, so the cache never hits
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": 0, "retry": Retry(NoBackoff(), 0)}
