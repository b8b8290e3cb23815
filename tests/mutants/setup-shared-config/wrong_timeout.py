# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT = 600
# why: 300 s, Flask-Caching's usual default, where 600 was asked for
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 300,
    "CACHE_KEY_PREFIX": "shop:",
}
