# expect: pass
# why: 1 / (1 + saving / overhead), with h* = 0 when there is no overhead
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    if t_miss_overhead == 0:
        return 0.0
    return 1 / (1 + (t_compute - t_hit) / t_miss_overhead)
