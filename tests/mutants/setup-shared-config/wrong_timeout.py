# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT = 600
# why: wrong timeout
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 300,
    "CACHE_KEY_PREFIX": "shop:",
}
