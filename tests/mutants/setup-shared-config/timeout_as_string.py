# expect: pass
# why: another correct spelling: CACHE_DEFAULT_TIMEOUT='600'
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": "600",
    "CACHE_KEY_PREFIX": "shop:",
}
