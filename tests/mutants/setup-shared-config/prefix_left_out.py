# expect: fail
# hint: 'flask_cache_'
# why: no CACHE_KEY_PREFIX: every app that leaves it out shares 'flask_cache_'
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
}
