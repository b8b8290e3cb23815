# expect: fail
# hint: OutOfMemoryError
# why: noeviction keeps the sessions, but once memory is full every cache write is refused
POLICY = "noeviction"
PAGE_TIMEOUT = 300
