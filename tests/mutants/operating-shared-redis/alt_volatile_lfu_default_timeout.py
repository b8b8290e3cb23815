# expect: pass
# why: volatile-lfu, and timeout=None: the pages get CACHE_DEFAULT_TIMEOUT, so they have a TTL
POLICY = "volatile-lfu"
PAGE_TIMEOUT = None
