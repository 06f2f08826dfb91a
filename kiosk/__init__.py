"""The visitor's touchscreen: check in for an appointment or take a walk-in ticket.

`loket kiosk --config FILE --device ID` runs it (see `kiosk.bootstrap`). The presenter
(`kiosk.presenter`) holds the state and actions and is tested without a window; the
`.kv` files in `kiosk/kv/` only bind to it. Nothing here opens a window or a connection at
import.
"""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["bootstrap", "printing"]
