# expect: fail
# hint: the team runs Redis
# why: a shared backend, but not the Redis server the team runs
production_config = {
    "CACHE_TYPE": "MemcachedCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
