# expect: fail
# hint: user by id: you cache it, but it saves too little
# why: caches every endpoint, the slow-to-hit and the too-stale too
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: True for n in results}
