"""Pending enrolment requests, trying a pairing code, and the limits on guessing.

Pure bookkeeping: the caller passes `now`. A request lives `ttl` (5 minutes); the hub keeps
at most `max_pending`. The hub cannot tell offline which request a code belongs to (that is
the point of the PAKE, see provisioning.sealing): an administrator's code starts a *trial*,
a challenge to every request waiting with a fresh SPAKE2 message; the device that shows the
code proves it, the others answer with a new message (or nothing). A trial nobody proves
is a wrong code: it counts against every request pending at the time, and a request that
has faced `max_guesses` wrong codes is dropped (its device shows a new code). Besides, at
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
from provisioning.messages import DeviceRole, EnrolReply, EnrolRequest


class PairingError(Exception):
    """An approval refused: `code` is wrong_code, invalid_code, rate_limited or busy."""

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
    kind: DeviceRole
    pake: bytes
    hostname: str | None
    version: str | None
    created: datetime
    expires: datetime
    wrong_guesses: int = 0
    last_seen: datetime | None = None
    spent: bool = False
    """Its SPAKE2 message was used in a trial: it needs a new one for the next."""
    challenge: EnrolReply | None = None
    keys: sealing.Keys | None = field(default=None, repr=False)
    device_id: str | None = None
    answer: EnrolReply | None = None


@dataclass
class Trial:
    """An administrator's code, put to the requests that were waiting."""

    code: str
    clients: set[str]
    declined: set[str] = field(default_factory=set)

    @property
    def answered_by_none(self) -> bool:
        """Every challenged device answered that the code is not its own."""
        return self.clients <= self.declined


@dataclass
class Pairing:
    """The hub's pending enrolment requests."""

    site: str = ""
    ttl: timedelta = timedelta(minutes=5)
    max_pending: int = 32
    max_guesses: int = 10
    burst: int = 5
    window: timedelta = timedelta(minutes=1)
    silence: timedelta = timedelta(seconds=30)
    per_source: int = 4
    trial: Trial | None = None
    _pending: dict[str, Pending] = field(default_factory=dict)
    _closed: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    _failures: deque[datetime] = field(default_factory=deque)

    def request(self, client_id: str, request: EnrolRequest, now: datetime) -> EnrolReply:
        """Take a (repeated) request; the answer tells the device where it stands."""
        self.expire(now)
        pake = sealing.unb64(request.pake)
        pending = self._pending.get(client_id)
        if pending is not None:
            if pending.nonce != request.nonce or pending.kind != request.kind:
                return self._refused(request.nonce, "mismatch")
            pending.last_seen = now
            if pending.answer is not None:
                return pending.answer
            if pake != pending.pake:  # the device started a new exchange
                if self.trial is not None and client_id in self.trial.clients:
                    self.trial.declined.add(client_id)
                pending.pake, pending.spent = pake, False
                pending.challenge = pending.keys = None
            return pending.challenge or self._waiting(pending, now)
        closed = self._closed.get(client_id)
        if closed is not None:
            return self._refused(request.nonce, closed[0])
        same = [p for p in self.pending() if p.hostname == request.hostname]
        if len(self._pending) >= self.max_pending or len(same) >= self.per_source:
            return self._refused(request.nonce, "busy")
        pending = Pending(
            client_id=client_id,
            nonce=request.nonce,
            kind=request.kind,
            pake=pake,
            hostname=request.hostname,
            version=request.version,
            created=now,
            expires=now + self.ttl,
            last_seen=now,
        )
        self._pending[client_id] = pending
        return self._waiting(pending, now)

    def challenge(self, code_text: str, now: datetime) -> list[Pending]:
        """Start a trial of an administrator's code: the requests to send their challenge
        to. PairingError when rate-limited, no code, or nobody waits."""
        self.expire(now)
        while self._failures and now - self._failures[0] >= self.window:
            self._failures.popleft()
        if self.trial is not None:
            raise PairingError("busy", "another approval is under way; try again in a moment")
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
        waiting = [p for p in self.pending() if not p.spent]
        for pending in waiting:
            message, pending.keys = sealing.hub_pake(code, pending.nonce, self.site, pending.pake)
            pending.spent = True
            pending.challenge = EnrolReply(
                nonce=pending.nonce,
                status="confirm",
                pake=sealing.b64(message),
                proof=sealing.b64(pending.keys.hub_proof),
            )
        if not waiting:
            self.fail(now)
        self.trial = Trial(code, {p.client_id for p in waiting})
        return waiting

    def confirm(self, client_id: str, request: EnrolRequest) -> Pending | None:
        """The request of the trial whose device proved the code, or None."""
        pending = self._pending.get(client_id)
        trial = self.trial
        if trial is None or pending is None or client_id not in trial.clients:
            return None
        if pending.keys is None or request.proof is None:
            return None
        if not hmac.compare_digest(pending.keys.device_proof, sealing.unb64(request.proof)):
            return None
        return pending

    def fail(self, now: datetime) -> None:
        """End the trial as a wrong code; raises PairingError wrong_code."""
        self.end_trial()
        self._wrong(now)
        raise PairingError("wrong_code", "no device waiting for approval shows this code")

    def end_trial(self) -> None:
        """End the trial; its challenged devices are asked for a new exchange."""
        for client in self.trial.clients if self.trial else ():
            pending = self._pending.get(client)
            if pending is not None and pending.answer is None:
                pending.challenge = pending.keys = None
        self.trial = None

    def approve(
        self,
        pending: Pending,
        device_id: str,
        bundle: bytes,
        now: datetime,
        deliver_for: timedelta = timedelta(minutes=2),
    ) -> EnrolReply:
        """Seal the bundle for the device; its answer is repeated until it acknowledges."""
        assert pending.keys is not None
        sealed = sealing.seal(bundle, pending.keys, pending.nonce)
        pending.device_id = device_id
        pending.expires = now + deliver_for
        pending.answer = EnrolReply(
            nonce=pending.nonce,
            status="approved",
            iv=sealing.b64(sealed.iv),
            ciphertext=sealing.b64(sealed.ciphertext),
        )
        self.end_trial()
        return pending.answer

    def acknowledge(self, client_id: str, request: EnrolRequest, now: datetime) -> str | None:
        """The device id whose bundle arrived, once; the request is then forgotten."""
        pending = self._pending.get(client_id)
        if pending is None or pending.answer is None or request.proof is None:
            return None
        assert pending.keys is not None
        expected = pending.keys.ack_proof(pending.nonce)
        if not hmac.compare_digest(expected, sealing.unb64(request.proof)):
            return None
        del self._pending[client_id]
        self._closed[client_id] = ("delivered", now + self.ttl)
        return pending.device_id

    def expire(self, now: datetime) -> list[Pending]:
        """Forget requests past their time (or gone silent); returns them."""
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

    def again(self, clients: set[str], now: datetime) -> list[tuple[str, EnrolReply]]:
        """After a trial: the answers asking these clients for a new exchange."""
        out = []
        for client in clients:
            pending = self._pending.get(client)
            if pending and pending.spent and not (pending.challenge or pending.answer):
                out.append((client, self._waiting(pending, now)))
        return out

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
        """Waiting; with reason "again" when the device must start a new exchange."""
        left = int((pending.expires - now).total_seconds())
        again = "again" if pending.spent else None
        return EnrolReply(
            nonce=pending.nonce, status="pending", expires_in=max(0, left), reason=again
        )

    @staticmethod
    def _refused(nonce: str, reason: str) -> EnrolReply:
        return EnrolReply(nonce=nonce, status="refused", reason=reason)
