# expect: fail
# hint: OutOfMemoryError
# why: volatile-ttl with pages that never expire: nothing is evictable once sessions and pages fill the memory
POLICY = "volatile-ttl"
PAGE_TIMEOUT = 0
