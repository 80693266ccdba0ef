"""What the reliability and security tests (issue 6) counted, and the summary printed from it.

Under pytest-xdist each worker counts its own share: a worker hands its counts to the controller
when it finishes (`to_json`), the controller adds them up (`merge`) and prints one summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Tally:
    fault_cases: int = 0
    fault_failures_seen: int = 0
    property_examples: Counter[str] = field(default_factory=Counter)
    scanned_files: int = 0
    secrets_checked: int = 0
    secret_places: Counter[str] = field(default_factory=Counter)
    soak: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inert_checks: Counter[str] = field(default_factory=Counter)
    """Hostile strings found inert, by where they were looked for (issue 13)."""
    edge_cases: Counter[str] = field(default_factory=Counter)
    """Failures at the edges (issue 13) met and ended in one clear line, by kind: each passing
    test marked `@pytest.mark.edge("kind")` counts one (tests/conftest.py)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "fault_cases": self.fault_cases,
            "fault_failures_seen": self.fault_failures_seen,
            "property_examples": dict(self.property_examples),
            "scanned_files": self.scanned_files,
            "secrets_checked": self.secrets_checked,
            "secret_places": dict(self.secret_places),
            "soak": list(self.soak),
            "notes": list(self.notes),
            "inert_checks": dict(self.inert_checks),
            "edge_cases": dict(self.edge_cases),
        }

    def merge(self, other: dict[str, Any]) -> None:
        self.fault_cases += other["fault_cases"]
        self.fault_failures_seen += other["fault_failures_seen"]
        self.property_examples.update(other["property_examples"])
        self.scanned_files += other["scanned_files"]
        self.secrets_checked += other["secrets_checked"]
        self.secret_places.update(other["secret_places"])
        self.soak.extend(other["soak"])
        self.notes.extend(other["notes"])
        self.inert_checks.update(other.get("inert_checks", {}))
        self.edge_cases.update(other.get("edge_cases", {}))

    def write_summary(self, terminalreporter: Any) -> None:
        t = self
        if not (
            t.fault_cases
            or t.property_examples
            or t.scanned_files
            or t.soak
            or t.notes
            or t.inert_checks
            or t.edge_cases
        ):
            return
        terminalreporter.section("reliability and security (issue 6)")
        write = terminalreporter.write_line
        if t.fault_cases:
            write(
                f"fault matrix: {t.fault_cases} cases "
                f"({t.fault_failures_seen} injected failures seen by the UI)"
            )
        if t.property_examples:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(t.property_examples.items()))
            write(f"property cases: {sum(t.property_examples.values())} examples ({detail})")
        if t.scanned_files or t.secrets_checked:
            places = ", ".join(f"{k} {v}" for k, v in sorted(t.secret_places.items()))
            write(
                f"security scans: {t.scanned_files} files, {t.secrets_checked} secrets checked"
                + (f" ({places})" if places else "")
            )
        if t.inert_checks:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(t.inert_checks.items()))
            write(f"hostile text shown inert: {sum(t.inert_checks.values())} checks ({detail})")
        if t.edge_cases:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(t.edge_cases.items()))
            write(
                f"failures at the edges (issue 13): {sum(t.edge_cases.values())} cases "
                f"met with one clear line ({detail})"
            )
        for line in t.soak:
            write(f"soak: {line}")
        for line in t.notes:
            write(line)


TALLY = Tally()
"""This process's counts (a worker's share under xdist; the whole run's in the controller)."""
