# expect: fail
# hint: eviction policies
# why: "lru" is not a Redis policy name (the config would be refused)
POLICY = "lru"
PAGE_TIMEOUT = 300
