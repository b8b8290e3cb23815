# expect: fail
# hint: does not accept
# why: "timeout" is not a redis-py option: the app cannot even build its client
FAIL_FAST_OPTIONS = {"timeout": 0.2, "connect_timeout": 0.2}
