# expect: fail
# hint: the right formula with the arguments in another order
# why: the formula written with t_hit and t_miss_overhead exchanged
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_miss_overhead >= t_compute:
        return None
    return t_hit / (t_compute + t_hit - t_miss_overhead)
