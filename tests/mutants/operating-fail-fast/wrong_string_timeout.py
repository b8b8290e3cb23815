# expect: fail
# why: a timeout as a string: the socket refuses it, so the cache fails on every call while Redis is up
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": "0.2", "retry": Retry(NoBackoff(), 0)}
