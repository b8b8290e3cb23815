# expect: pass
# why: Fraction arithmetic gives the exact h*, equal to the float one
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    from fractions import Fraction as F
    return F(t_miss_overhead) / (F(t_compute) + F(t_miss_overhead) - F(t_hit))
