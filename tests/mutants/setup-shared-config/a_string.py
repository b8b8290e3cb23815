# expect: fail
# hint: dict
# why: a string, not a dict of settings
production_config = "RedisCache"
