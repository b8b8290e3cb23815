# expect: fail
# hint: one worker process
# why: SimpleCache lives in one worker process: 8 workers, 8 copies
production_config = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
