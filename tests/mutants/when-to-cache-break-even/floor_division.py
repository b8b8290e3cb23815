# expect: fail
# hint: `//` is floor division
# why: `//` floors h* to 0
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return t_miss_overhead // (t_compute + t_miss_overhead - t_hit)
