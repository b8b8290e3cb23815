# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT = 600
# why: 600000 thinking in milliseconds: almost a week
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600000,
    "CACHE_KEY_PREFIX": "shop:",
}
