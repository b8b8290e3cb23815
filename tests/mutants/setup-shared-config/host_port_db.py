# expect: pass
# why: another correct spelling: CACHE_REDIS_URL=None, CACHE_REDIS_HOST='cache.internal', CACHE_REDIS_PORT=6379, CACHE_REDIS_DB=0
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
    "CACHE_REDIS_HOST": "cache.internal",
    "CACHE_REDIS_PORT": 6379,
    "CACHE_REDIS_DB": 0,
}
