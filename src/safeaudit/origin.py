"""Where a checklist resolved from an overlay came from: models read only for such a checklist."""

# Kept apart from safeaudit.model so that loading a plain checklist, as most reports do, never
# defines these models or builds their validators (issue 17).

from __future__ import annotations

from pydantic import Field

from safeaudit.strict import Strict as _Strict
from safeaudit.strict import no_items as _no_items


class LeftOut(_Strict):
    """An inherited question an overlay does not use (`not_used`), for reports to show."""

    question: str
    #: The question's text and its area's title, as the checklist it was left out of has them.
    text: str
    area: str
    reason: str
    #: Who left it out: the overlay's `publisher` (else its title), and its id.
    by: str
    by_id: str


class Amended(_Strict):
    """An inherited question an overlay changed (`amend`), for reports to show."""

    question: str
    guidance: str = ""
    #: The local weight and the one it replaced, when the overlay changed it.
    weight: float | None = None
    base_weight: float | None = None
    #: How many references the overlay added.
    references: int = 0
    by: str
    by_id: str


class LocalQuestion(_Strict):
    """A question an overlay added: not in the checklist it builds on."""

    question: str
    by: str
    by_id: str


class OverlayOrigin(_Strict):
    """Where a checklist resolved from an overlay came from (docs/overlays.md)."""

    #: The checklist the overlay extends, and the version that was used.
    base_id: str
    base_version: str
    base_title: str = ""
    #: Inherited questions left out, and inherited questions changed, by this overlay and by
    #: any overlay it extends, in checklist order.
    left_out: list[LeftOut] = Field(default_factory=_no_items)
    amended: list[Amended] = Field(default_factory=_no_items)
    #: Questions the overlays added, in checklist order.
    added: list[LocalQuestion] = Field(default_factory=_no_items)

    @property
    def not_used(self) -> dict[str, str]:
        """Inherited questions left out, with the reason given."""
        return {item.question: item.reason for item in self.left_out}
