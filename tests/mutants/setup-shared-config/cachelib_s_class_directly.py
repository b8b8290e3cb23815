# expect: fail
# hint: localhost
# why: cachelib's class gets neither the URL nor the prefix from Flask-Caching
production_config = {
    "CACHE_TYPE": "cachelib.RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
