"""The kiosk's texts: every id it uses exists, plain language, times and waits said right;
colours and sizes that everyone can use. (The catalogues themselves: tests/test_i18n.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from i18n import LANGUAGES
from kiosk.i18n import describe_when, spoken_number, t, texts, wait_text
from kiosk.messages import MESSAGES
from kiosk.theme import HIGH_CONTRAST, MIN_CONTRAST, STANDARD, contrast, make_theme, rgba
from tests.kiosk_fakes import aware

BRUSSELS = ZoneInfo("Europe/Brussels")
KV = Path(__file__).resolve().parent.parent / "kiosk" / "kv"
SOURCES = Path(__file__).resolve().parent.parent / "kiosk"


def test_every_message_id_the_kiosk_uses_exists() -> None:
    used: set[str] = set()
    for path in [*SOURCES.glob("*.py"), *KV.glob("*.kv")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""texts\[["']([a-z_0-9]+)["']\]""", text))
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']""", text))
    missing = sorted(used - set(MESSAGES))
    assert not missing, f"message ids used but not defined: {missing}"
    assert len(used) > 40


@pytest.mark.parametrize("language", LANGUAGES)
def test_plain_language_short_sentences(language: str) -> None:
    for message_id, text in texts(language).items():
        for sentence in re.split(r"[.!?]\s", text):
            assert len(sentence.split()) <= 22, f"{message_id}: long sentence {sentence!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_texts_and_times_in_each_language(language: str) -> None:
    assert texts(language)["welcome"] == t("welcome", language)
    now = aware("2026-12-03 09:00")
    today = describe_when(aware("2026-12-03 16:00"), now, language, BRUSSELS)
    assert "16:00" in today and today == t("when_today", language, time="16:00")
    monday = describe_when(aware("2026-12-07 08:30"), now, language, BRUSSELS)
    assert t("weekday_0", language) in monday and t("month_12", language) in monday
    assert wait_text(0, language) == t("wait_none", language)
    assert wait_text(None, language) == t("wait_unknown", language)
    assert wait_text(23 * 60, language) == t("wait_minutes", language, minutes=25)


def test_unknown_language_falls_back_to_dutch() -> None:
    assert t("welcome", "xx") == "Welkom"


def test_numbers_are_said_as_people_read_them() -> None:
    assert spoken_number("S001") == "S 1" and spoken_number("ID012") == "ID 12"


@pytest.mark.parametrize("palette", [STANDARD, HIGH_CONTRAST], ids=["standard", "high"])
def test_every_text_colour_has_at_least_7_to_1_contrast(palette: object) -> None:
    for name, (fg, bg) in palette.pairs().items():  # type: ignore[attr-defined]
        assert contrast(fg, bg) >= MIN_CONTRAST, f"{name}: {contrast(fg, bg):.1f}:1"


def test_contrast_formula_matches_wcag() -> None:
    assert round(contrast(rgba("#000000"), rgba("#ffffff")), 1) == 21.0
    assert round(contrast(rgba("#777777"), rgba("#ffffff")), 2) == 4.48


@pytest.mark.parametrize(("width_px", "width_mm"), [(1920, 476), (1080, 268), (1280, 217)])
def test_touch_targets_are_at_least_15_mm_on_the_configured_screen(
    width_px: int, width_mm: float
) -> None:
    for large in (False, True):
        theme = make_theme(high_contrast=False, large_text=large, window_width_px=width_px,
                           screen_width_mm=width_mm)  # fmt: skip
        assert theme.touch / theme.px_per_mm >= 15
        assert theme.button_height >= theme.touch
        assert theme.small / theme.px_per_mm >= 6, "no text smaller than 6 mm"
