# expect: fail
# hint: waited
# why: redis-py's defaults (5 s timeouts, 10 retries with backoff): a minute per call on a hung Redis
FAIL_FAST_OPTIONS = {}
