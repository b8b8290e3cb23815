# expect: fail
# hint: t_hit=0.0, t_miss_overhead=1.0, t_compute=1.0 (the smallest input that shows it) you returned 1.0, expected 0.5: the denominator misses the overhead
# why: t_miss_overhead / (t_compute - t_hit): the overhead missing below the line
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return t_miss_overhead / (t_compute - t_hit)
