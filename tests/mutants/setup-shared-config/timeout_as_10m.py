# expect: fail
# hint: cannot build a cache
# why: timeout as '10m'
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": "10m",
    "CACHE_KEY_PREFIX": "shop:",
}
