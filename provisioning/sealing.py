"""The pairing code, the PAKE that turns it into a shared key, and the sealed bundle.

The device makes a 6-digit code (shown on its screen, never sent) and sends a SPAKE2
message made with it. When an administrator types the code at the hub, the hub answers
with its own SPAKE2 message and a proof that it knows the code; the device answers with
its proof, and only then does the hub seal the bundle (AES-256-GCM) under a key both
derived. Neither message lets anyone test a guess of the code offline: an eavesdropper
gets nothing, and a fake hub, or a fake device at the real hub, gets one guess per
exchange (a device drops a code after 10 bad answers, as the hub does after 10 wrong
codes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from spake2 import SPAKE2_A, SPAKE2_B
from spake2.spake2 import SPAKEError

CODE_DIGITS = 6
CONTEXT = b"loket-enrol-v2|"


def new_code() -> str:
    """A 6-digit pairing code from the system's secure random source."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_nonce() -> str:
    """A request id of 16 random bytes, as hex."""
    return secrets.token_hex(16)


def normalise_code(text: str) -> str | None:
    """The code's digits ('482 913', '482-913' → '482913'), or None if it is no code."""
    digits = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    ok = len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit()
    return digits if ok else None


def format_code(code: str) -> str:
    """The code as shown on a screen: '482 913'."""
    return f"{code[:3]} {code[3:]}"


def b64(raw: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    """Bytes from base64 text; ValueError if it is not base64."""
    return base64.b64decode(text, validate=True)


class SealError(ValueError):
    """A message that does not check out: wrong code, other exchange, or tampered with."""


def _ids(nonce: str, site: str) -> dict[str, bytes]:
    return {"idA": CONTEXT + b"device|" + nonce.encode(), "idB": CONTEXT + b"hub|" + site.encode()}


@dataclass(frozen=True)
class Keys:
    """What one exchange's shared secret gives: each side's proof, the box key."""

    hub_proof: bytes = field(repr=False)
    device_proof: bytes = field(repr=False)
    box_key: bytes = field(repr=False)

    @classmethod
    def derive(cls, secret: bytes, nonce: str) -> Keys:
        """The keys of the exchange `nonce` from the PAKE's shared secret."""
        raw = HKDF(
            algorithm=hashes.SHA256(), length=96, salt=None, info=CONTEXT + nonce.encode()
        ).derive(secret)
        return cls(raw[:32], raw[32:64], raw[64:])

    def ack_proof(self, nonce: str) -> bytes:
        """What the device sends back to show it opened the bundle."""
        return hmac.new(self.box_key, b"ack|" + nonce.encode(), hashlib.sha256).digest()


class DevicePake:
    """The device's side of one exchange (a new one after each failed answer)."""

    def __init__(self, code: str, nonce: str, site: str) -> None:
        self._state = SPAKE2_A(code.encode(), **_ids(nonce, site))
        self.nonce = nonce
        self.message: bytes = self._state.start()
        self.keys: Keys | None = None

    def answer(self, hub_message: bytes, hub_proof: bytes) -> Keys:
        """Keys once the hub proved it knows the code; SealError otherwise (this state is
        then spent: make a new DevicePake)."""
        try:
            keys = Keys.derive(self._state.finish(hub_message), self.nonce)
        except (SPAKEError, ValueError) as error:
            raise SealError("the hub's message is no SPAKE2 message") from error
        if not hmac.compare_digest(keys.hub_proof, hub_proof):
            raise SealError("the hub does not know this code")
        self.keys = keys
        return keys


def hub_pake(code: str, nonce: str, site: str, device_message: bytes) -> tuple[bytes, Keys]:
    """The hub's SPAKE2 message for a device's, and the keys (right only if the code is)."""
    state = SPAKE2_B(code.encode(), **_ids(nonce, site))
    message: bytes = state.start()
    try:
        secret = state.finish(device_message)
    except (SPAKEError, ValueError) as error:
        raise SealError("the device's message is no SPAKE2 message") from error
    return message, Keys.derive(secret, nonce)


@dataclass(frozen=True)
class Sealed:
    """A bundle sealed under an exchange's box key."""

    iv: bytes
    ciphertext: bytes


def seal(plaintext: bytes, keys: Keys, nonce: str) -> Sealed:
    """Seal `plaintext` for the device of the exchange `nonce`."""
    iv = os.urandom(12)
    return Sealed(iv, AESGCM(keys.box_key).encrypt(iv, plaintext, CONTEXT + nonce.encode()))


def open_sealed(sealed: Sealed, keys: Keys, nonce: str) -> bytes:
    """The plaintext of a sealed bundle; SealError if it does not open."""
    try:
        return AESGCM(keys.box_key).decrypt(sealed.iv, sealed.ciphertext, CONTEXT + nonce.encode())
    except (InvalidTag, ValueError) as error:
        raise SealError("the bundle does not open with this exchange's key") from error
