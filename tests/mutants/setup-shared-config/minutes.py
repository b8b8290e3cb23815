# expect: fail
# hint: 10 minutes is 600
# why: CACHE_DEFAULT_TIMEOUT=10 thinking in minutes: 10 s
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 10,
    "CACHE_KEY_PREFIX": "shop:",
}
