# expect: fail
# hint: NullCache
# why: no CACHE_TYPE: Flask-Caching falls back to NullCache
production_config = {
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
