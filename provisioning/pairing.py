"""Pending enrolment requests, matching a pairing code, and the limits on guessing.

Pure bookkeeping: the caller passes `now`. A request lives `ttl` (5 minutes); the hub keeps
at most `max_pending`. Every wrong code counts against every request pending at the time,
and a request that has faced `max_guesses` wrong codes is dropped (its device shows a new
code), so a 6-digit code faces at most 10 guesses: a chance of 1 in 100,000. Besides, at
most `burst` wrong codes are taken per `window`; past that every approval is refused with
the time to wait, the right code included.

Against a flood of requests: a device repeats its request every few seconds, so one that
falls `silence` (30 s) silent is dropped; at most `per_source` requests wait per claimed
host name, and `max_pending` in all.
"""

from __future__ import annotations

import hmac
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from provisioning import sealing
from provisioning.messages import EnrolReply, EnrolRequest


class PairingError(Exception):
    """An approval refused: `code` is wrong_code, invalid_code or rate_limited."""

    def __init__(self, code: str, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


@dataclass
class Pending:
    """A device waiting for approval."""

    client_id: str
    nonce: str
    kind: str
    public_key: bytes
    verifier: bytes
    hostname: str | None
    version: str | None
    created: datetime
    expires: datetime
    wrong_guesses: int = 0
    last_seen: datetime | None = None
    device_id: str | None = None
    answer: EnrolReply | None = None
    box_key: bytes | None = field(default=None, repr=False)


@dataclass
class Pairing:
    """The hub's pending enrolment requests."""

    ttl: timedelta = timedelta(minutes=5)
    max_pending: int = 32
    max_guesses: int = 10
    burst: int = 5
    window: timedelta = timedelta(minutes=1)
    silence: timedelta = timedelta(seconds=30)
    per_source: int = 4
    _pending: dict[str, Pending] = field(default_factory=dict)
    _closed: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    _failures: deque[datetime] = field(default_factory=deque)

    def request(self, client_id: str, request: EnrolRequest, now: datetime) -> EnrolReply:
        """Take a (repeated) request; the answer tells the device where it stands."""
        self.expire(now)
        pending = self._pending.get(client_id)
        if pending is not None:
            if pending.nonce != request.nonce or pending.public_key != sealing.unb64(
                request.public_key
            ):
                return self._refused(request.nonce, "mismatch")
            pending.last_seen = now
            return pending.answer or self._waiting(pending, now)
        closed = self._closed.get(client_id)
        if closed is not None:
            return self._refused(request.nonce, closed[0])
        if len(self._pending) >= self.max_pending:
            return self._refused(request.nonce, "busy")
        same = [p for p in self.pending() if p.hostname == request.hostname]
        if len(same) >= self.per_source:
            return self._refused(request.nonce, "busy")
        pending = Pending(
            client_id=client_id,
            nonce=request.nonce,
            kind=request.kind,
            public_key=sealing.unb64(request.public_key),
            verifier=sealing.unb64(request.verifier),
            hostname=request.hostname,
            version=request.version,
            created=now,
            expires=now + self.ttl,
            last_seen=now,
        )
        self._pending[client_id] = pending
        return self._waiting(pending, now)

    def find(self, code_text: str, now: datetime) -> Pending:
        """The pending request whose device shows this code; PairingError if none."""
        self.expire(now)
        while self._failures and now - self._failures[0] >= self.window:
            self._failures.popleft()
        if len(self._failures) >= self.burst:
            wait = self._failures[0] + self.window - now
            raise PairingError(
                "rate_limited",
                "too many wrong pairing codes; wait before trying again",
                retry_after=max(1, int(wait.total_seconds() + 0.999)),
            )
        code = sealing.normalise_code(code_text)
        if code is None:
            raise PairingError("invalid_code", f"a pairing code has {sealing.CODE_DIGITS} digits")
        for pending in self._pending.values():
            if pending.device_id is not None:
                continue
            key = sealing.code_key(code, pending.nonce)
            if hmac.compare_digest(sealing.verifier(key, pending.public_key), pending.verifier):
                return pending
        self._wrong(now)
        raise PairingError("wrong_code", "no device waiting for approval shows this code")

    def approve(
        self,
        pending: Pending,
        device_id: str,
        bundle: bytes,
        code: str,
        now: datetime,
        deliver_for: timedelta = timedelta(minutes=2),
    ) -> EnrolReply:
        """Seal the bundle for the device; its answer is repeated until it acknowledges."""
        normal = sealing.normalise_code(code)
        assert normal is not None
        sealed = sealing.seal(
            bundle, sealing.code_key(normal, pending.nonce), pending.nonce, pending.public_key
        )
        pending.device_id = device_id
        pending.box_key = sealed.box_key
        pending.expires = now + deliver_for
        pending.answer = EnrolReply(
            nonce=pending.nonce,
            status="approved",
            hub_public_key=sealing.b64(sealed.hub_public),
            iv=sealing.b64(sealed.iv),
            ciphertext=sealing.b64(sealed.ciphertext),
        )
        return pending.answer

    def acknowledge(self, client_id: str, request: EnrolRequest, now: datetime) -> str | None:
        """The device id whose bundle arrived, once; the request is then forgotten."""
        pending = self._pending.get(client_id)
        if pending is None or pending.box_key is None or request.proof is None:
            return None
        expected = sealing.ack_proof(pending.box_key, pending.nonce)
        if not hmac.compare_digest(expected, sealing.unb64(request.proof)):
            return None
        del self._pending[client_id]
        self._closed[client_id] = ("delivered", now + self.ttl)
        return pending.device_id

    def expire(self, now: datetime) -> list[Pending]:
        """Forget requests past their time; returns them."""
        gone = [p for p in self._pending.values() if p.expires <= now or self._silent(p, now)]
        for pending in gone:
            del self._pending[pending.client_id]
            self._closed[pending.client_id] = ("expired", now + self.ttl)
        for client, (_reason, until) in list(self._closed.items()):
            if until <= now:
                del self._closed[client]
        return gone

    def _silent(self, pending: Pending, now: datetime) -> bool:
        """Waiting for approval, and not repeated for `silence`: its device is gone."""
        seen = pending.last_seen or pending.created
        return pending.device_id is None and now - seen >= self.silence

    def pending(self) -> list[Pending]:
        """Requests still waiting for approval."""
        return [p for p in self._pending.values() if p.device_id is None]

    def _wrong(self, now: datetime) -> None:
        self._failures.append(now)
        for pending in list(self._pending.values()):
            if pending.device_id is not None:
                continue
            pending.wrong_guesses += 1
            if pending.wrong_guesses >= self.max_guesses:
                del self._pending[pending.client_id]
                self._closed[pending.client_id] = ("too_many_guesses", now + self.ttl)

    def _waiting(self, pending: Pending, now: datetime) -> EnrolReply:
        left = int((pending.expires - now).total_seconds())
        return EnrolReply(nonce=pending.nonce, status="pending", expires_in=max(0, left))

    @staticmethod
    def _refused(nonce: str, reason: str) -> EnrolReply:
        return EnrolReply(nonce=nonce, status="refused", reason=reason)
