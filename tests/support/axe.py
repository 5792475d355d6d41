"""axe-core in a Playwright page: run it, and describe what it found.

axe-core is installed from the npm registry by ``make static`` (a devDependency in
package.json); ``require`` makes its absence a skip locally and a failure on CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
ZOOMED = {"width": 640, "height": 800}  # 1280 x 1600 CSS px at 200%


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as loaded (every rule axe runs by default)."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return found


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: impact, rule, and where (up to five elements)."""
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )
