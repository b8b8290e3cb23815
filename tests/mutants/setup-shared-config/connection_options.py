# expect: pass
# why: another correct spelling: CACHE_OPTIONS={'socket_timeout': 2, 'socket_connect_timeout': 2, 'check_connection': True}
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
    "CACHE_OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2, "check_connection": True},
}
