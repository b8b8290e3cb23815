# expect: fail
# hint: over TLS
# why: rediss:// speaks TLS to a server that does not
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "rediss://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
