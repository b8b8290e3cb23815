# expect: fail
# hint: the stated prefix is 'shop:'
# why: 'shop' without the colon: not the stated prefix
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop",
}
