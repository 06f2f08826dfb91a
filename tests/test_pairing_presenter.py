"""The pairing screen without a window: its texts, the enrolment thread, the --enrol checks."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import Any

import pytest

from apps.pairing.enrolment import (
    Enrolment,
    check_credentials,
    enrol_mode,
)
from apps.pairing.presenter import PairingPresenter, PairingState
from apps.runner import Inbox
from apps.ui import data_dir
from display_board.board import enrolled_board
from loket.cli import main
from provisioning.enrol import CREDENTIALS, Credentials, EnrolmentFailed, store_credentials
from provisioning.messages import Bundle
from siteconfig import load_site_config
from staff_terminal.desk import desk_config
from tests.mqtt_fixtures import ROOT, TOWNHALL

CREDS = Credentials(
    site="stad-voorbeeld",
    device_id="loket-drie",
    role="staff",
    name="Loket drie",
    broker_url="mqtt://127.0.0.1:1883",
    username="loket-drie@stad-voorbeeld",
    password="secret",
    counter="loket-3",
)


def drain(inbox: Inbox, check: Any, timeout: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inbox.drain(timeout=0.02)
        if check():
            return
    raise AssertionError("not reached in time")


def test_one_language_shows_the_code_and_what_the_administrator_types() -> None:
    p = PairingPresenter("staff", "en", hostname="desk-3")
    assert p.state is PairingState.SEARCHING and not p.has_code and p.code == ""
    assert p.code_text == "··· ···" and p.one_language
    assert p.lines == ["Pair this terminal — ask your administrator to run:"]
    assert p.status == "Looking for the Loket hub on the network…"
    p.show_code("482913")
    assert p.state is PairingState.WAITING and p.has_code and p.code_text == "482 913"
    assert p.lines == ["Pair this terminal: code 482 913 — ask your administrator to run:"]
    assert p.lines_text == p.lines[0]
    assert p.command == 'loket devices approve 482913 --role staff --name "…" --counter …'
    assert p.status == "Waiting for approval…"
    assert p.hostname == "desk-3"
    p.show_code("115730")  # the old code expired: the new one replaces it
    assert p.code == "115 730" and "115730" in p.command
    p.paired(CREDS)
    assert p.state is PairingState.PAIRED and p.status == "Paired as Loket drie. Starting…"
    assert p.credentials == CREDS


def test_without_a_known_language_every_line_is_in_all_four() -> None:
    p = PairingPresenter("display")
    p.show_code("904211")
    assert p.lines == [
        "Koppel dit scherm: code 904 211 — vraag uw beheerder om uit te voeren:",
        "Associez cet écran : code 904 211 — demandez à votre administrateur d'exécuter :",
        "Pair this display: code 904 211 — ask your administrator to run:",
        "Diesen Bildschirm koppeln: Code 904 211 — bitten Sie Ihren Administrator, "
        "dies auszuführen:",
    ]
    assert p.command == 'loket devices approve 904211 --role display --name "…" --zone …'
    assert p.status.count("·") == 3  # four languages
    assert p.lines_text.count("\n") == 3 and not p.one_language
    p.failed("no Loket hub found on the network")
    assert p.state == "failed" and "(no Loket hub found on the network)" in p.status


def test_the_site_language_is_used_when_known() -> None:
    p = PairingPresenter("staff", "fr")
    p.show_code("482913")
    assert p.lines == [
        "Associez ce terminal : code 482 913 — demandez à votre administrateur d'exécuter :"
    ]
    with pytest.raises(ValueError):
        PairingPresenter("printer")


def test_enrolment_shows_each_code_and_hands_over_the_credentials(tmp_path: Path) -> None:
    seen: list[dict[str, Any]] = []
    release = threading.Event()

    def obtain(kind: str, data_dir: Any, on_code: Any, **kw: Any) -> Credentials:
        seen.append({"kind": kind, "data_dir": data_dir, **kw})
        on_code("111111")
        on_code("222222")
        release.wait(5)
        return CREDS

    inbox = Inbox()
    p = PairingPresenter("staff", "en")
    paired: list[Credentials] = []
    enrolment = Enrolment(p, tmp_path, inbox, paired.append, site="stad-voorbeeld", obtain=obtain)
    enrolment.start()
    drain(inbox, lambda: p.code == "222 222")
    assert p.state == "waiting" and not paired
    release.set()
    drain(inbox, lambda: paired)
    assert paired == [CREDS] and p.state == "paired"
    assert seen[0]["kind"] == "staff" and seen[0]["site"] == "stad-voorbeeld"
    assert seen[0]["data_dir"] == tmp_path and isinstance(seen[0]["stop"], threading.Event)
    enrolment.stop()


def test_enrolment_shows_trouble_tries_again_and_stops_when_asked(tmp_path: Path) -> None:
    calls: list[int] = []

    def obtain(kind: str, data_dir: Any, on_code: Any, **kw: Any) -> Credentials:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("network unreachable")
        kw["stop"].wait(5)
        raise EnrolmentFailed("enrolment stopped")

    inbox = Inbox()
    p = PairingPresenter("display", "en")
    enrolment = Enrolment(p, tmp_path, inbox, retry=0.05, obtain=obtain)
    enrolment.start()
    drain(inbox, lambda: p.state == "failed")
    assert "network unreachable" in p.status
    drain(inbox, lambda: len(calls) == 2)
    enrolment.stop()
    assert not enrolment._thread.is_alive()
    assert len(calls) == 2 and p.credentials is None


def test_credentials_must_be_for_this_site_and_role(tmp_path: Path) -> None:
    assert check_credentials(CREDS, "staff", "stad-voorbeeld", tmp_path) is CREDS
    with pytest.raises(ValueError, match="for site 'stad-voorbeeld', but the site file is site"):
        check_credentials(CREDS, "staff", "wzc-ter-linde", tmp_path)
    with pytest.raises(ValueError, match="for a staff, not a display"):
        check_credentials(CREDS, "display", "stad-voorbeeld", tmp_path)


def test_enrol_options(tmp_path: Path) -> None:
    def ns(**kw: Any) -> argparse.Namespace:
        return argparse.Namespace(
            **{"enrol": False, "data": None, "hub": None, "counter": None, "device": None, **kw}
        )

    assert enrol_mode(ns(counter="loket-3"), "staff", "--counter", "--device") is None
    with pytest.raises(ValueError, match=r"give --counter ID .* or --enrol"):
        enrol_mode(ns(), "staff", "--counter", "--device")
    with pytest.raises(ValueError, match="--data go with --enrol"):
        enrol_mode(ns(device="d", data=tmp_path), "display", "--device")
    with pytest.raises(ValueError, match="leave out --counter"):
        enrol_mode(ns(enrol=True, counter="loket-3"), "staff", "--counter", "--device")
    mode = enrol_mode(ns(enrol=True, hub="mqtt://h:1883"), "staff", "--counter", "--device")
    assert mode is not None and mode.data_dir == data_dir("staff")
    assert mode.data_dir.parts[-3:] == ("share", "loket", "staff") and mode.hub_url
    mode = enrol_mode(ns(enrol=True, data=tmp_path), "display", "--device")
    assert mode is not None and mode.data_dir == tmp_path


def test_an_enrolled_device_needs_not_be_in_the_site_file() -> None:
    config = load_site_config(TOWNHALL)
    desk = desk_config(config, "loket-3", "loket-drie", enrolled=True)
    assert desk.device_id == "loket-drie" and desk.counter_id == "loket-3"
    with pytest.raises(ValueError, match="is not a staff terminal"):
        desk_config(config, "loket-3", "loket-drie")
    board = enrolled_board(config, "scherm-hal", "gelijkvloers")
    assert board.zone == "gelijkvloers" and "loket-1" in board.counters
    assert enrolled_board(config, "scherm-overal", None).counters.keys() == {
        c.id for c in config.counters
    }
    with pytest.raises(ValueError, match="no counter is in zone 'kelder'"):
        enrolled_board(config, "scherm-hal", "kelder")


def test_stored_credentials_of_another_site_stop_the_app_with_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = Bundle(
        site="stad-voorbeeld",
        device_id="loket-drie",
        role="staff",
        name="Loket drie",
        counter="loket-3",
        broker="mqtt://127.0.0.1:1883",
        username="loket-drie@stad-voorbeeld",
        password="secret",
    )
    store_credentials(tmp_path, bundle)
    carehome = str(ROOT / "config" / "carehome.yaml")
    assert main(["staff", "--enrol", "--config", carehome, "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"credentials in {tmp_path / CREDENTIALS} are for site 'stad-voorbeeld'" in err
    assert "the site file is site 'wzc-ter-linde'" in err
    assert main(["display", "--enrol", "--config", str(TOWNHALL), "--data", str(tmp_path)]) == 2
    assert "for a staff, not a display" in capsys.readouterr().err
    assert main(["staff", "--config", str(TOWNHALL)]) == 2
    assert "give --counter ID" in capsys.readouterr().err
