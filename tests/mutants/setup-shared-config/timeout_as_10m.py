# expect: fail
# hint: cannot build a cache
# why: '10m' is not a number of seconds: int('10m') fails
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": "10m",
    "CACHE_KEY_PREFIX": "shop:",
}
