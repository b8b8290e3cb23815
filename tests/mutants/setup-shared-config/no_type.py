# expect: fail
# hint: NullCache
# why: no type
production_config = {
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
