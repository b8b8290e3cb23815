# expect: fail
# hint: t_hit=0.0, t_miss_overhead=0.0, t_compute=1.0 (the smallest input that shows it) you returned None, expected 0: with no miss overhead
# why: `or None` turns a break-even of 0 into None
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit) or None
