# expect: fail
# hint: is not a number
# why: a capital O typed for the database 0: redis-py ignores the path and nobody notices
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/O",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
