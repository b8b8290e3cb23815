# expect: pass
# why: volatile-ttl also evicts only keys with a TTL (the ones closest to expiring first)
POLICY = "volatile-ttl"
PAGE_TIMEOUT = 600
