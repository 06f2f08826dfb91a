"""The one place that imports python-escpos, so its import-time side effects are tamed once."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path


def _cache_dir() -> None:
    """Make sure escpos's pickle folder exists (escpos fails when it does not)."""
    wanted = Path(os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR") or "")
    try:
        wanted.mkdir(parents=True, exist_ok=True)
    except OSError:
        fallback = Path(tempfile.gettempdir()) / f"loket-escpos-{os.getuid()}"
        fallback.mkdir(mode=0o700, exist_ok=True)
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(fallback)


_cache_dir()
_root_handlers = list(logging.getLogger().handlers)

# escpos.capabilities calls logging.basicConfig() at import; undo that below so the
# application's own logging set-up (loket -v, the kiosk) stays in charge.
from escpos.capabilities import CAPABILITIES, get_profile  # noqa: E402
from escpos.constants import QR_ECLEVEL_M  # noqa: E402
from escpos.escpos import Escpos  # noqa: E402
from escpos.image import EscposImage  # noqa: E402

for _handler in logging.getLogger().handlers:
    if _handler not in _root_handlers:
        logging.getLogger().removeHandler(_handler)

__all__ = ["CAPABILITIES", "QR_ECLEVEL_M", "Escpos", "EscposImage", "get_profile"]
