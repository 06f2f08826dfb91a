"""Mosquitto's password-file format (`$7$`: PBKDF2-SHA512), written without mosquitto_passwd."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

#: What mosquitto_passwd 2.0 uses: 101 iterations, a 12-byte salt, a 64-byte SHA-512 digest.
ITERATIONS = 101
SALT_BYTES = 12


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """The `$7$iterations$salt$digest` line part Mosquitto checks a password against."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, hashed: str) -> bool:
    """Whether `password` matches a `$7$` hash."""
    try:
        _empty, kind, iterations, salt, digest = hashed.split("$")
        if kind != "7":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.pbkdf2_hmac(
            "sha512", password.encode(), base64.b64decode(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(expected, got)


def new_password() -> str:
    """A random broker password (192 bits, URL-safe)."""
    return secrets.token_urlsafe(24)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
