# expect: fail
# hint: parameters are in the order
# why: the parameters in another order than the exercise's
def break_even(t_compute, t_hit, t_miss_overhead):
    if t_hit >= t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
