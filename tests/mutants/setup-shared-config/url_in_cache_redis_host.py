# expect: fail
# hint: team's Redis
# why: a whole URL given as the host name
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
    "CACHE_REDIS_HOST": "redis://cache.internal:6379/0",
}
