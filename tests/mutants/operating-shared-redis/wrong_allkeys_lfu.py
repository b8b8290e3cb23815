# expect: fail
# hint: not logged in
# why: allkeys-lfu evicts a session that is read less often than the pages
POLICY = "allkeys-lfu"
PAGE_TIMEOUT = 300
