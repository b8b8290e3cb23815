# expect: fail
# hint: should return a number
# why: a formatted string instead of a number
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return '87.5%'
