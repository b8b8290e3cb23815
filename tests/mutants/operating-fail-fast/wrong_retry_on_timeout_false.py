# expect: fail
# hint: waited
# why: retry_on_timeout=False does not turn off redis-py 8's default retries (and there is no timeout)
FAIL_FAST_OPTIONS = {"retry_on_timeout": False}
