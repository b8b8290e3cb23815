# expect: fail
# hint: t_compute=0.0 (the smallest input that shows it) you returned -0.0, expected None: there a hit (1.0 s) is more than computing (0.0 s)
# why: `==` misses the case where a hit costs more than computing
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit == t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
