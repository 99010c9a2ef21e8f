"""Run axe-core (installed from npm into node_modules) inside a Playwright page."""
from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page, context: str = "") -> None:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    page.wait_for_load_state()  # called right after a click, the next page may still be loading
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run()).violations")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    details = "; ".join(
        f"{v['id']} ({v['impact']}) at {v['nodes'][0]['target'] if v['nodes'] else '?'}: {v['help']}"
        for v in serious)
    assert not serious, f"accessibility violations on {context or page.url}: {details}"
