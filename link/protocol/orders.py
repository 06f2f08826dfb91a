"""Orders from the hub to one kiosk (devices/<kiosk>/orders, readable by that kiosk only).

reprint        print this ticket again, like a new one, then `report_print`
check_printer  paper was refilled: ask the printer now and publish its status
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from link.protocol.base import Message
from link.protocol.replies import TicketView


class ReprintOrder(BaseModel):
    """Print `ticket` again (the office asked, e.g. a visitor lost it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["reprint"] = "reprint"
    order_id: str
    ticket: TicketView


class CheckPrinterOrder(BaseModel):
    """Ask the printer how it is now and publish it (paper was refilled)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["check_printer"] = "check_printer"
    order_id: str


class KioskOrder(Message):
    """devices/<kiosk>/orders: one order for that kiosk (not retained)."""

    order: Annotated[ReprintOrder | CheckPrinterOrder, Field(discriminator="kind")]
