# expect: fail
# hint: the right formula with the arguments in another order
# why: arguments swapped in the body
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_miss_overhead >= t_compute:
        return None
    return t_hit / (t_compute + t_hit - t_miss_overhead)
