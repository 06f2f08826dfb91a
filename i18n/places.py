"""Where a counter is, in words: 'eerste verdieping, lokaal B.12, links'.

The site file gives each counter a floor, a room and a direction per language
(siteconfig's CounterConfig); the ticket, the display board and the spoken call say it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from i18n import N_, translator

FLOORS = {
    -1: N_("basement"),
    0: N_("ground floor"),
    1: N_("first floor"),
    2: N_("second floor"),
    3: N_("third floor"),
}
# Translators: a floor above the third: 'floor 4'
OTHER_FLOOR = N_("floor {floor}")
# Translators: a room's name or number inside a building: 'room B.12'
ROOM = N_("room {room}")


@dataclass(frozen=True)
class Place:
    """Where one counter is: its floor (0 = ground), room, and directions per language."""

    floor: int | None = None
    room: str | None = None
    directions: Mapping[str, str] = field(default_factory=dict)

    def text(self, language: str) -> str:
        """'first floor, room B.12, on the left' in `language` ('' when nothing is known)."""
        words = translator(language)
        parts = []
        if self.floor is not None:
            known = FLOORS.get(self.floor)
            parts.append(words.text(known) if known else words.text(OTHER_FLOOR, floor=self.floor))
        if self.room:
            parts.append(words.text(ROOM, room=self.room))
        direction = self.directions.get(language) or next(iter(self.directions.values()), "")
        if direction:
            parts.append(direction)
        return ", ".join(parts)
