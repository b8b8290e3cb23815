# expect: fail
# hint: you returned a percentage
# why: returns h* as a percentage, not a ratio
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return 100 * t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
