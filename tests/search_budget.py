"""The routing search budget for tests: an iteration budget that binds long before the time limit, so a test that
checks a plan's quality gets the same plan on an idle laptop and on a loaded 2-core CI machine.

``solve(problem, **budget(engine))`` stops after 2,000 PyVRP iterations or 200 OR-Tools solutions (the engine
'auto' picks for a problem with breaks); the 600 s limit is only a backstop: these instances take under a second."""

from __future__ import annotations

from typing import Any

BACKSTOP_S = 600.0
ITERATIONS = {"pyvrp": 2000, "ortools": 200}


def budget(engine: str = "pyvrp") -> dict[str, Any]:
    """Keyword arguments for :func:`opscore.routing.solve`: ``engine``'s iteration budget and the backstop."""
    return {"time_limit": BACKSTOP_S, "max_iterations": ITERATIONS[engine]}
