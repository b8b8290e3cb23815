# expect: fail
# hint: ignores the miss overhead
# why: t_hit / t_compute ignores the miss overhead
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return t_hit / t_compute
