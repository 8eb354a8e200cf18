"""The presenter page's own view state (theme, auto-advance, forum edition) as a value: read from
URL query parameters, written back to them, never an error on bad input (analysis/core/view.py).
The slide shown is not part of it: the deck's script keeps `?slide=N` in the address itself."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.core.view import clamp, first, pick
from analysis.presentation.theme import THEMES

AUTO_CHOICES = (0, 5, 10, 15, 20, 30, 45, 60, 90, 120)   # seconds per slide; 0 = off
QUERY_KEYS = ("present_theme", "present_auto", "present_edition")


@dataclass(frozen=True)
class PresentView:
    theme: str = "light"
    auto: int = 0
    edition: str = ""            # a forum's event_id; "" = the latest forum with signings

    def widget_state(self) -> dict:
        return dict(zip(QUERY_KEYS, (self.theme, self.auto, self.edition)))

    def to_query(self) -> dict[str, str]:
        return {"present_theme": self.theme, "present_auto": str(self.auto),
                "present_edition": self.edition}

    @classmethod
    def from_query(cls, q: Mapping, editions: tuple[str, ...]) -> PresentView:
        auto = clamp(first(q, "present_auto"), 0, AUTO_CHOICES[-1], 0)
        return cls(theme=pick(first(q, "present_theme"), tuple(THEMES), "light"),
                   auto=min(AUTO_CHOICES, key=lambda c: abs(c - auto)),
                   edition=pick(first(q, "present_edition"), ("", *editions), ""))


def start_slide(q: Mapping, count: int) -> int:
    """The slide a link opens on (?slide=N), 1 when absent or unreadable."""
    return clamp(first(q, "slide"), 1, max(count, 1), 1)
