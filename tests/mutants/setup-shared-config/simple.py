# expect: fail
# hint: one worker process
# why: simple
production_config = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
