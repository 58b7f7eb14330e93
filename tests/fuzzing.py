"""The hypothesis settings of the fuzz tests (tests/test_fuzz_*.py): a fixed, bounded run in CI, more on request.

CI runs 200 examples of each property, derandomised (the same examples every run, so a failure reproduces) and
without a per-example deadline (a shared CI machine is slow in bursts). NEWSROOM_FUZZ_EXAMPLES=5000 explores
further, with fresh random examples each run; a failure prints the @example to pin it with.
"""

import os

from hypothesis import HealthCheck, settings

_EXAMPLES = os.environ.get("NEWSROOM_FUZZ_EXAMPLES")

settings.register_profile(
    "newsroom-ci", max_examples=200, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "newsroom-explore", max_examples=int(_EXAMPLES or 0) or 200, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("newsroom-explore" if _EXAMPLES else "newsroom-ci")
