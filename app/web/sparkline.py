"""A trust line for the trainer panel: SVG geometry worked out here, drawn by the template.

Server-rendered, so it needs no script and reads the same with JavaScript off; the
template gives it a text alternative and the per-turn figures sit beside it as text.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 240
HEIGHT = 64
PAD = 6


@dataclass(frozen=True)
class Point:
    """One trust value placed on the chart; ``turn`` 0 is the start."""

    turn: int
    trust: float
    x: float
    y: float


@dataclass(frozen=True)
class Sparkline:
    """Trust from 0 (bottom) to 1 (top) over the turns, with the band thresholds."""

    points: list[Point]
    guarded_y: float
    open_y: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        """The ``points`` attribute of the SVG polyline."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _y(trust: float) -> float:
    return round(PAD + (1 - trust) * (HEIGHT - 2 * PAD), 1)


def sparkline(trust: list[float], guarded_below: float, open_from: float) -> Sparkline:
    """Place each trust value evenly across the chart (a lone value sits at the left)."""
    step = (WIDTH - 2 * PAD) / max(len(trust) - 1, 1)
    points = [
        Point(turn=n, trust=value, x=round(PAD + n * step, 1), y=_y(value))
        for n, value in enumerate(trust)
    ]
    return Sparkline(points=points, guarded_y=_y(guarded_below), open_y=_y(open_from))
