# expect: fail
# hint: user by id: you cache it, but it saves too little
# why: caches whenever it pays at all (speedup > 1), not the 2x the rule asks
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: r.speedup > 1 and r.max_staleness <= DECIDE_ENDPOINTS[n][2] for n, r in results.items()}
