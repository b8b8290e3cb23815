# expect: pass
# why: volatile-random evicts a random key among those with a TTL: never a session
POLICY = "volatile-random"
PAGE_TIMEOUT = 60
