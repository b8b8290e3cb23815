# expect: fail
# hint: not logged in
# why: allkeys-lru evicts the other app's sessions as readily as pages
POLICY = "allkeys-lru"
PAGE_TIMEOUT = 300
