# expect: fail
# hint: database 3
# why: URL without a database plus CACHE_REDIS_DB
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
    "CACHE_REDIS_DB": 3,
}
