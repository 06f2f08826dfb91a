"""The pairing code and the sealed bundle.

The device makes a 6-digit code (shown on its screen, never sent) and a one-time X25519
key. It sends its public key and a verifier, HMAC(scrypt(code, nonce), public key), so the
hub can tell which pending request an administrator's code belongs to. The hub seals the
bundle with AES-256-GCM under a key from HKDF over the X25519 secret, salted with the
code's scrypt key: an eavesdropper cannot open it even with the code (no X25519 secret),
and a fake hub cannot make one the device accepts without the code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CODE_DIGITS = 6
CONTEXT = b"loket-enrol-v1|"
#: scrypt cost: about 50 ms and 16 MiB, so a verifier seen on the wire is slow to brute-force.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


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


def code_key(code: str, nonce: str) -> bytes:
    """The code stretched with scrypt, salted with the request's nonce."""
    return hashlib.scrypt(
        code.encode(),
        salt=CONTEXT + bytes.fromhex(nonce),
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=32,
    )


def verifier(key: bytes, device_public: bytes) -> bytes:
    """What the device sends so the hub can match a code to its request."""
    return hmac.new(key, b"verifier|" + device_public, hashlib.sha256).digest()


def ack_proof(box_key: bytes, nonce: str) -> bytes:
    """What the device sends back to show it opened the bundle."""
    return hmac.new(box_key, b"ack|" + nonce.encode(), hashlib.sha256).digest()


def b64(raw: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    """Bytes from base64 text; ValueError if it is not base64."""
    return base64.b64decode(text, validate=True)


class SealError(ValueError):
    """A sealed bundle that does not open: wrong code, wrong key, or tampered with."""


@dataclass(frozen=True)
class Sealed:
    """A bundle sealed for one device, and the key the device's acknowledgement proves."""

    hub_public: bytes
    iv: bytes
    ciphertext: bytes
    box_key: bytes = field(repr=False)


def _box_key(
    shared: bytes, key: bytes, nonce: str, device_public: bytes, hub_public: bytes
) -> bytes:
    info = CONTEXT + bytes.fromhex(nonce) + device_public + hub_public
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=key, info=info).derive(shared)


def seal(plaintext: bytes, key: bytes, nonce: str, device_public: bytes) -> Sealed:
    """Seal `plaintext` for the device that owns `device_public` and shows the code."""
    hub_private = X25519PrivateKey.generate()
    hub_public = _raw_public(hub_private)
    shared = hub_private.exchange(X25519PublicKey.from_public_bytes(device_public))
    box_key = _box_key(shared, key, nonce, device_public, hub_public)
    iv = os.urandom(12)
    ciphertext = AESGCM(box_key).encrypt(iv, plaintext, CONTEXT + nonce.encode())
    return Sealed(hub_public, iv, ciphertext, box_key)


class DeviceKey:
    """The device's one-time X25519 key for one enrolment."""

    def __init__(self) -> None:
        self._private = X25519PrivateKey.generate()
        self.public = _raw_public(self._private)

    def open(self, sealed: Sealed, key: bytes, nonce: str) -> tuple[bytes, bytes]:
        """(plaintext, box key) of a bundle sealed for this key; SealError if it does not open."""
        try:
            shared = self._private.exchange(X25519PublicKey.from_public_bytes(sealed.hub_public))
            box_key = _box_key(shared, key, nonce, self.public, sealed.hub_public)
            plain = AESGCM(box_key).decrypt(sealed.iv, sealed.ciphertext, CONTEXT + nonce.encode())
        except (InvalidTag, ValueError) as error:
            raise SealError("the hub's answer does not open with this code") from error
        return plain, box_key


def _raw_public(private: X25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
