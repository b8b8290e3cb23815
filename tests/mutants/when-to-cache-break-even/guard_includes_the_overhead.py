# expect: fail
# hint: expected None: there a hit (0.0 s) equals computing (0.0 s)
# why: the never-pays test adds the overhead, so t_hit == t_compute returns a number
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute + t_miss_overhead:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
