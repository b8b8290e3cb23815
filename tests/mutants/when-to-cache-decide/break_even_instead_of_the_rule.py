# expect: fail
# hint: user by id: you cache it, but it saves too little
# why: break-even instead of the rule
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: r.speedup > 1 and r.max_staleness <= DECIDE_ENDPOINTS[n][2] for n, r in results.items()}
