# expect: fail
# hint: old lowercase name
# why: lowercase
production_config = {
    "CACHE_TYPE": "redis",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
