# expect: fail
# hint: unreachable
# why: a short read timeout, but the connect timeout stays at 5 s: a host that drops packets makes each attempt wait it
from redis.backoff import NoBackoff
from redis.retry import Retry

FAIL_FAST_OPTIONS = {"socket_timeout": 0.2, "retry": Retry(NoBackoff(), 1)}
