# expect: fail
# hint: you returned 1 − h*
# why: returns 1 - h*, the miss ratio
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return 1 - t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
