# expect: pass
# why: another correct spelling: CACHE_TYPE='flask_caching.backends.rediscache.RedisCache'
production_config = {
    "CACHE_TYPE": "flask_caching.backends.rediscache.RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
