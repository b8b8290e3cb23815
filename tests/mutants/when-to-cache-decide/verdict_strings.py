# expect: fail
# hint: should be True (cache) or False
# why: 'cache' strings instead of True/False
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: 'cache' for n in results}
