# expect: fail
# hint: float
# why: 600.0 is a float: cachelib rounds it with a DeprecationWarning
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600.0,
    "CACHE_KEY_PREFIX": "shop:",
}
