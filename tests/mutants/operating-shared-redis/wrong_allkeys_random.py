# expect: fail
# hint: not logged in
# why: allkeys-random may evict any key, sessions included
POLICY = "allkeys-random"
PAGE_TIMEOUT = 300
