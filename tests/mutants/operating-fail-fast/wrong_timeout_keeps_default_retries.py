# expect: fail
# hint: waited
# why: a short socket_timeout, but the 10 default retries and their backoff still add seconds
FAIL_FAST_OPTIONS = {"socket_timeout": 0.2, "socket_connect_timeout": 0.2}
