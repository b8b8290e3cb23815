# expect: fail
# hint: raised ZeroDivisionError, but h* is 0 there
# why: an algebraically equal form that divides by zero when there is no miss overhead
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return 1 / (1 + (t_compute - t_hit) / t_miss_overhead)
