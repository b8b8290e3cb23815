# expect: fail
# hint: FLUSHDB
# why: an empty prefix: other apps overwrite the shop's keys and clear() runs FLUSHDB
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "",
}
