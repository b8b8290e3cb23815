# expect: fail
# hint: OutOfMemoryError
# why: pages without a TTL (timeout=0) cannot be evicted by a volatile policy: writes are refused
POLICY = "volatile-lru"
PAGE_TIMEOUT = 0
