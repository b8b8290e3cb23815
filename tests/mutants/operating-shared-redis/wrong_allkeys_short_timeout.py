# expect: fail
# hint: not logged in
# why: a short page timeout does not stop allkeys-lru from evicting sessions under a burst
POLICY = "allkeys-lru"
PAGE_TIMEOUT = 30
