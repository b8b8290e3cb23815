# expect: pass
# why: clamping never changes a correct h*, which is always between 0 and 1
def break_even(t_hit, t_miss_overhead, t_compute):
    if not t_hit < t_compute:
        return None
    return min(1.0, max(0.0, t_miss_overhead / (t_compute + t_miss_overhead - t_hit)))
