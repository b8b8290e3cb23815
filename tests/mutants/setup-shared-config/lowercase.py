# expect: fail
# hint: old lowercase name
# why: 'redis' is the old lowercase name, removed in Flask-Caching 2.5
production_config = {
    "CACHE_TYPE": "redis",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
