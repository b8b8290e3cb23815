# expect: pass
# why: the same ratio with every time scaled by 1000
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    ms = 1000
    return (t_miss_overhead * ms) / ((t_compute - t_hit + t_miss_overhead) * ms)
