# expect: pass
# why: the model's latency at the simulated hit ratio gives the same decisions
# ruff: noqa: F821
from support.simulator import expected_latency
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: expected_latency(r.hit_ratio, DECIDE_ENDPOINTS[n][1]) * 2
                <= DECIDE_ENDPOINTS[n][1].compute
                and r.max_staleness <= DECIDE_ENDPOINTS[n][2]
             for n, r in results.items()}
