# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT = 600
# why: timeout in milliseconds
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600000,
    "CACHE_KEY_PREFIX": "shop:",
}
