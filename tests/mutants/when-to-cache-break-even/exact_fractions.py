# expect: pass
# why: exact fractions
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    from fractions import Fraction as F
    return F(t_miss_overhead) / (F(t_compute) + F(t_miss_overhead) - F(t_hit))
