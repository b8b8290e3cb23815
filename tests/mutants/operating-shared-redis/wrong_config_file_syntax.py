# expect: fail
# hint: eviction policies
# why: the whole redis.conf line instead of the policy's name
POLICY = "maxmemory-policy volatile-lru"
PAGE_TIMEOUT = 300
