# expect: fail
# hint: raised TypeError
# why: default as a word
NEVER_EXPIRE = 0
USE_DEFAULT = "default"
