"""Provisioning without a broker: password hashes, the sealed bundle, pairing limits, the
ACL, the registry, the site's certificates."""

from __future__ import annotations

import shutil
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509

from provisioning import sealing
from provisioning.broker_files import acl_text, passwd_text, service_account
from provisioning.messages import EnrolReply, EnrolRequest
from provisioning.pairing import Pairing, PairingError
from provisioning.passwords import check_password, hash_password
from provisioning.registry import DeviceRecord, Registry, slug
from provisioning.tls import provision_tls
from siteconfig import load_site_config
from tests.mqtt_fixtures import TOWNHALL
from tests.sites import local

NOW = local("2026-12-03 09:00")


def test_password_hashes_are_mosquittos_own_format(tmp_path: Path) -> None:
    hashed = hash_password("geheim")
    assert hashed.startswith("$7$101$") and check_password("geheim", hashed)
    assert not check_password("Geheim", hashed)
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        pytest.skip("mosquitto_passwd is not installed")
    file = tmp_path / "pw"
    subprocess.run([tool, "-c", "-b", str(file), "alice", "s3cret"], check=True)
    theirs = file.read_text().strip().split(":", 1)[1]
    assert check_password("s3cret", theirs) and not check_password("other", theirs)


SITE = "stad-voorbeeld"


class Device:
    """A device's side of one enrolment, by hand."""

    def __init__(self, kind: str = "kiosk") -> None:
        self.code, self.nonce = sealing.new_code(), sealing.new_nonce()
        self.pake = sealing.DevicePake(self.code, self.nonce, SITE)
        self.client = f"loket-{SITE}-enrol-{self.nonce}"
        self.request = EnrolRequest(
            nonce=self.nonce,
            kind=kind,  # type: ignore[arg-type]
            pake=sealing.b64(self.pake.message),
        )

    def confirm(self, challenge: EnrolReply) -> EnrolRequest:
        """The answer to the hub's challenge (SealError if the hub does not know the code)."""
        keys = self.pake.answer(
            sealing.unb64(challenge.pake or ""), sealing.unb64(challenge.proof or "")
        )
        return self.request.model_copy(
            update={"type": "confirm", "proof": sealing.b64(keys.device_proof)}
        )

    def renew(self) -> None:
        """A new exchange for the same code."""
        self.pake = sealing.DevicePake(self.code, self.nonce, SITE)
        self.request = self.request.model_copy(update={"pake": sealing.b64(self.pake.message)})


def other_code(code: str, step: int = 1) -> str:
    """Another 6-digit code."""
    return f"{(int(code) + step) % 10**6:06d}"


def test_only_the_device_with_the_code_opens_the_bundle() -> None:
    device = Device()
    message, keys = sealing.hub_pake(device.code, device.nonce, SITE, device.pake.message)
    assert device.pake.answer(message, keys.hub_proof) == keys
    sealed = sealing.seal(b"secret bundle", keys, device.nonce)
    assert sealing.open_sealed(sealed, keys, device.nonce) == b"secret bundle"
    # A hub with another code cannot prove itself to the device.
    device.renew()
    message, wrong = sealing.hub_pake(
        other_code(device.code), device.nonce, SITE, device.pake.message
    )
    with pytest.raises(sealing.SealError):
        device.pake.answer(message, wrong.hub_proof)
    tampered = sealing.Sealed(sealed.iv, sealed.ciphertext[:-1] + b"x")
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(tampered, keys, device.nonce)
    assert sealing.normalise_code(" 482-913 ") == "482913"
    assert (
        sealing.normalise_code("48291") is None
        and sealing.normalise_code("\uff14\uff18\uff12\uff19\uff11\uff13") is None
    )


def test_a_code_trial_finds_the_device_that_proves_it_and_limits_guesses() -> None:
    pairing = Pairing(site=SITE, silence=timedelta(minutes=5))  # the device's repeats left out
    device = Device()
    assert pairing.request(device.client, device.request, NOW).status == "pending"
    for _ in range(5):
        (challenged,) = pairing.challenge(other_code(device.code, 7), NOW)
        assert challenged.challenge is not None
        with pytest.raises(sealing.SealError):
            device.confirm(challenged.challenge)
        device.renew()  # and it says so: a new message
        pairing.request(device.client, device.request, NOW)
        assert pairing.trial is not None and pairing.trial.answered_by_none
        with pytest.raises(PairingError) as refused:
            pairing.fail(NOW)
        assert refused.value.code == "wrong_code"
    with pytest.raises(PairingError) as limited:
        pairing.challenge(device.code, NOW + timedelta(seconds=10))
    assert limited.value.code == "rate_limited" and limited.value.retry_after == 50
    (challenged,) = pairing.challenge(device.code, NOW + timedelta(seconds=60))
    assert challenged.challenge is not None
    assert pairing.confirm(device.client, device.confirm(challenged.challenge)) is challenged
    pairing.end_trial()
    with pytest.raises(PairingError) as invalid:
        pairing.challenge("12", NOW + timedelta(seconds=60))
    assert invalid.value.code == "invalid_code"


def test_a_request_that_faced_ten_wrong_codes_is_dropped() -> None:
    pairing = Pairing(site=SITE, silence=timedelta(minutes=5))  # the device's repeats left out
    device = Device()
    pairing.request(device.client, device.request, NOW)
    for guess in range(10):  # two or three a minute: under the burst limit
        at = NOW + timedelta(seconds=25 * guess)
        pairing.challenge(other_code(device.code), at)
        with pytest.raises(PairingError) as refused:
            pairing.fail(at)
        assert refused.value.code == "wrong_code"
        device.renew()  # its message was used up: a new one for the next code
        pairing.request(device.client, device.request, at)
    assert pairing.pending() == []
    answer = pairing.request(device.client, device.request, NOW + timedelta(minutes=4))
    assert (answer.status, answer.reason) == ("refused", "too_many_guesses")


def test_requests_expire_and_an_approved_one_is_delivered_once() -> None:
    pairing = Pairing(site=SITE)
    old, new = Device(), Device()
    pairing.request(old.client, old.request, NOW)
    later = NOW + timedelta(minutes=5)
    answer = pairing.request(old.client, old.request, later)
    assert (answer.status, answer.reason) == ("refused", "expired")
    pairing.request(new.client, new.request, later)
    (found,) = pairing.challenge(new.code, later)
    assert found.challenge is not None
    confirmed = pairing.confirm(new.client, new.confirm(found.challenge))
    assert confirmed is found
    approved = pairing.approve(found, "kiosk-x", b"{}", later)
    assert pairing.request(new.client, new.request, later) == approved  # repeated until acked
    assert new.pake.keys is not None
    sealed = sealing.Sealed(
        sealing.unb64(approved.iv or ""), sealing.unb64(approved.ciphertext or "")
    )
    assert sealing.open_sealed(sealed, new.pake.keys, new.nonce) == b"{}"
    forged = new.request.model_copy(update={"type": "ack", "proof": sealing.b64(b"x" * 32)})
    assert pairing.acknowledge(new.client, forged, later) is None
    proof = sealing.b64(new.pake.keys.ack_proof(new.nonce))
    ack = new.request.model_copy(update={"type": "ack", "proof": proof})
    assert pairing.acknowledge(new.client, ack, later) == "kiosk-x"
    assert pairing.request(new.client, new.request, later).reason == "delivered"


def test_the_acl_gives_each_role_the_least_it_needs(tmp_path: Path) -> None:
    base = "loket/v1/stad-voorbeeld"
    records = [
        DeviceRecord("kiosk-a", "kiosk", "K", password_hash="h"),
        DeviceRecord("staff-3", "staff", "S", counter="loket-3", password_hash="h"),
        DeviceRecord("disp-1", "display", "D", zone="gelijkvloers", password_hash="h"),
        DeviceRecord("gone", "kiosk", "G", password_hash=None, revoked_at="2026-12-01"),
    ]
    acl = acl_text("stad-voorbeeld", records)
    blocks = {
        b.splitlines()[0]: b.splitlines()[1:] for b in acl.split("\n\n") if b.startswith("user")
    }
    kiosk = blocks["user kiosk-a@stad-voorbeeld"]
    assert f"topic write {base}/cmd/kiosk-a/issue_ticket" in kiosk
    assert f"topic write {base}/cmd/kiosk-a/call_next" not in kiosk
    assert (
        f"topic read {base}/reply/kiosk-a" in kiosk and f"topic read {base}/events/#" not in kiosk
    )
    staff = blocks["user staff-3@stad-voorbeeld"]
    assert f"topic write {base}/cmd/staff-3/call_next" in staff
    assert not [line for line in staff if "write" in line and "staff-3" not in line]
    display = blocks["user disp-1@stad-voorbeeld"]
    assert not [line for line in display if line.startswith("topic write") or "cmd/" in line]
    assert f"topic read {base}/events/#" in display
    for lines in (kiosk, staff, display):  # only the hub writes state, events, configs
        assert not [x for x in lines if "write" in x and ("/state" in x or "/config" in x)]
    assert "user gone@stad-voorbeeld" not in acl
    assert f"pattern write {base}/enrol/request/%c" in acl
    account = service_account(tmp_path, "stad-voorbeeld", "hub")
    assert stat.S_IMODE((tmp_path / "hub.json").stat().st_mode) == 0o600
    assert service_account(tmp_path, "stad-voorbeeld", "hub") == account
    pw = passwd_text("stad-voorbeeld", [account], records)
    assert pw.count("\n") == 4 and "gone@" not in pw


def test_the_registry_starts_from_the_site_file_and_keeps_enrolments(tmp_path: Path) -> None:
    config = load_site_config(TOWNHALL)
    registry = Registry.open(tmp_path, config)
    assert stat.S_IMODE(registry.path.stat().st_mode) == 0o600
    kiosk = registry.get("kiosk-inkom")
    assert kiosk is not None and kiosk.source == "site" and not kiosk.has_credentials
    assert kiosk.settings["printer_profile"] == "TM-T20II"
    assert registry.find("Zuil inkomhal") == kiosk == registry.find("KIOSK-INKOM")
    assert slug("Kiosk Ingang Zuid-Oost ") == "kiosk-ingang-zuid-oost"
    assert slug("Écran Hôpital") == "ecran-hopital"
    registry.put(
        DeviceRecord(
            "tijdelijk", "staff", "Tijdelijk", counter="loket-6", password_hash=hash_password("x")
        )
    )
    again = Registry.open(tmp_path, config)
    record = again.get("tijdelijk")
    assert record is not None and record.has_credentials and record.revision == 1
    assert {d.id for d in again.devices()} >= {"tijdelijk", "kiosk-inkom"}


def test_the_site_ca_signs_a_broker_certificate_for_loopback_and_the_hosts(
    tmp_path: Path,
) -> None:
    out = tmp_path / "tls"
    provision_tls(
        out, "stad-voorbeeld", ["hub.stad.local", "10.20.0.2"], now=NOW, devices=["kiosk-inkom"]
    )
    ca = x509.load_pem_x509_certificate((out / "ca.pem").read_bytes())
    broker = x509.load_pem_x509_certificate((out / "broker.pem").read_bytes())
    broker.verify_directly_issued_by(ca)
    names = broker.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"hub.stad.local", "localhost"} <= set(names.get_values_for_type(x509.DNSName))
    assert {str(a) for a in names.get_values_for_type(x509.IPAddress)} >= {"127.0.0.1", "10.20.0.2"}
    assert stat.S_IMODE((out / "ca.key").stat().st_mode) == 0o600
    assert "listener 8883" in (out / "mosquitto-tls.conf").read_text()
    x509.load_pem_x509_certificate(
        (out / "kiosk-inkom.pem").read_bytes()
    ).verify_directly_issued_by(ca)
    # Again with another host: the same CA, a new broker certificate.
    provision_tls(out, "stad-voorbeeld", ["hub2.local"], now=NOW)
    assert x509.load_pem_x509_certificate((out / "ca.pem").read_bytes()) == ca
