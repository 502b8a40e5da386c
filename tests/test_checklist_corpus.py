"""The checklist scored on a corpus written for the purpose (tests/checklist_corpus).

broken.txt holds news sentences that each lost a value or kept a placeholder;
sound.txt holds sound sentences, many of them near-misses for the rules. Recall
is the share of broken sentences with at least one error; a false alarm is a
sound sentence with any error. Run with -s to see the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editorial.domain.checklist import check_text

CORPUS = Path(__file__).parent / "checklist_corpus"


def _sentences(name: str) -> list[str]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _has_error(text: str) -> bool:
    return any(f.severity == "error" for f in check_text(text))


@pytest.fixture(scope="module")
def broken() -> list[str]:
    return _sentences("broken.txt")


@pytest.fixture(scope="module")
def sound() -> list[str]:
    return _sentences("sound.txt")


def test_corpus_is_big_enough(broken: list[str], sound: list[str]) -> None:
    assert len(broken) >= 150 and len(set(broken)) == len(broken)
    assert len(sound) >= 150 and len(set(sound)) == len(sound)


def test_recall_and_false_alarms(broken: list[str], sound: list[str]) -> None:
    missed = [t for t in broken if not _has_error(t)]
    alarms = [t for t in sound if _has_error(t)]
    recall = 1 - len(missed) / len(broken)
    false_alarms = len(alarms) / len(sound)
    print(
        f"\nchecklist corpus: recall {recall:.1%} ({len(broken) - len(missed)}"
        f"/{len(broken)} broken sentences caught), error false alarms "
        f"{false_alarms:.1%} ({len(alarms)}/{len(sound)} sound sentences)"
    )
    for text in missed:
        print(f"  missed: {text}")
    for text in alarms:
        print(f"  false alarm: {text}")
    assert recall >= 0.98, missed
    assert false_alarms <= 0.01, alarms


def test_sound_corpus_has_no_warnings_either(sound: list[str]) -> None:
    # Not required by the figures above, but the sound sentences are clean copy:
    # a warning on one of them is a false alarm too.
    warned = {t: [f.rule for f in check_text(t)] for t in sound if check_text(t)}
    assert warned == {}
