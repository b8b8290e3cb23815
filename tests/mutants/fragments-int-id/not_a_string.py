# expect: fail
# hint: a str, not a int
# why: the timeout instead of the template
SIDEBAR_TEMPLATE = 300
