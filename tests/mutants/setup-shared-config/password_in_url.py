# expect: pass
# why: another correct spelling: CACHE_REDIS_URL='redis://:s3cret@cache.internal:6379/0'
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://:s3cret@cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
