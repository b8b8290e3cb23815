# expect: fail
# hint: stock at checkout: you cache it, but the simulation serves
# why: ignores the staleness budget
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: r.speedup >= 2 for n, r in results.items()}
