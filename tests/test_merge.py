"""Three-way merge of blocks: paragraphs, sentences, lists; and its properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editorial.domain.merge import merge_items, merge_text, paragraphs, sentences

BASE = (
    "The council met on Monday.\n\n"
    "The budget passed by nine votes to four. Bus fares stay the same.\n\n"
    "A review follows in the spring."
)


# --- paragraphs ------------------------------------------------------------------


def test_different_paragraphs_both_survive():
    theirs = BASE.replace("met on Monday", "met on Monday evening")
    mine = BASE.replace("in the spring", "in April")
    assert merge_text(BASE, theirs, mine) == (
        "The council met on Monday evening.\n\n"
        "The budget passed by nine votes to four. Bus fares stay the same.\n\n"
        "A review follows in April."
    )


def test_added_paragraph_and_edited_paragraph_both_survive():
    theirs = BASE.replace("nine votes", "9 votes")
    mine = BASE + "\n\nThe mayor did not comment."
    assert merge_text(BASE, theirs, mine) == (
        "The council met on Monday.\n\n"
        "The budget passed by 9 votes to four. Bus fares stay the same.\n\n"
        "A review follows in the spring.\n\n"
        "The mayor did not comment."
    )


def test_removed_paragraph_and_edited_other_paragraph():
    theirs = BASE.replace("The council met on Monday.\n\n", "")
    mine = BASE.replace("spring", "autumn")
    assert merge_text(BASE, theirs, mine) == (
        "The budget passed by nine votes to four. Bus fares stay the same.\n\n"
        "A review follows in the autumn."
    )


def test_new_paragraph_after_the_one_a_colleague_edited():
    theirs = BASE.replace("in the spring", "in May")
    mine = BASE + "\n\nMore later."
    assert merge_text(BASE, theirs, mine) == (
        "The council met on Monday.\n\n"
        "The budget passed by nine votes to four. Bus fares stay the same.\n\n"
        "A review follows in May.\n\n"
        "More later."
    )


# --- sentences -------------------------------------------------------------------


def test_different_sentences_of_one_paragraph_both_survive():
    theirs = BASE.replace("nine votes to four", "nine votes to three")
    mine = BASE.replace("Bus fares stay the same.", "Bus fares stay the same in 2027.")
    assert merge_text(BASE, theirs, mine) == (
        "The council met on Monday.\n\n"
        "The budget passed by nine votes to three. "
        "Bus fares stay the same in 2027.\n\n"
        "A review follows in the spring."
    )


def test_the_same_sentence_changed_twice_is_a_conflict():
    theirs = BASE.replace("nine votes to four", "nine votes to three")
    mine = BASE.replace("nine votes to four", "ten votes to four")
    assert merge_text(BASE, theirs, mine) is None


def test_both_adding_at_the_same_place_is_a_conflict():
    assert merge_text(BASE, BASE + "\n\nOne.", BASE + "\n\nTwo.") is None


def test_markdown_list_lines_merge_one_by_one():
    base = "Steps:\n- call the office\n- check the minutes\n- file the story"
    theirs = base.replace("call the office", "call the press office")
    mine = base.replace("file the story", "file the story by six")
    assert merge_text(base, theirs, mine) == (
        "Steps:\n- call the press office\n- check the minutes\n- file the story by six"
    )


def test_the_same_change_on_both_sides_is_no_conflict():
    changed = BASE.replace("Monday", "Tuesday")
    assert merge_text(BASE, changed, changed) == changed


def test_one_side_unchanged_gives_the_other():
    changed = BASE.replace("Monday", "Tuesday")
    assert merge_text(BASE, BASE, changed) == changed
    assert merge_text(BASE, changed, BASE) == changed


def test_tokens_join_back_to_the_text():
    text = "One. Two!  Three?\n\n\n  Four “quoted.” Five\n- a\n- b"
    assert "".join(paragraphs(text)) == text
    assert "".join(sentences(text)) == text
    assert paragraphs(text) == [
        "One. Two!  Three?",
        "\n\n\n  ",
        "Four “quoted.” Five\n- a\n- b",
    ]
    assert sentences("One. Two!  Three?") == ["One.", " ", "Two!", "  ", "Three?"]


# --- lists -----------------------------------------------------------------------


def test_list_different_items_changed():
    base = ["a", "b", "c", "d"]
    assert merge_items(base, ["A", "b", "c", "d"], ["a", "b", "c", "D"]) == [
        "A",
        "b",
        "c",
        "D",
    ]


def test_list_neighbouring_items_changed():
    base = ["a", "b", "c"]
    assert merge_items(base, ["a2", "b", "c"], ["a", "b2", "c"]) == ["a2", "b2", "c"]


def test_list_item_added_while_another_removed():
    base = ["a", "b", "c"]
    assert merge_items(base, ["a", "c"], ["a", "b", "c", "d"]) == ["a", "c", "d"]


def test_list_same_item_changed_twice_is_a_conflict():
    base = ["a", "b", "c"]
    assert merge_items(base, ["a", "x", "c"], ["a", "y", "c"]) is None


def test_list_item_changed_by_one_removed_by_other_is_a_conflict():
    base = ["a", "b", "c"]
    assert merge_items(base, ["a", "c"], ["a", "b2", "c"]) is None


# --- properties ------------------------------------------------------------------

_word = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@st.composite
def _distinct_paragraphs(draw: st.DrawFn) -> list[str]:
    """3 to 8 paragraphs of 1 to 3 sentences, no two sentences alike."""
    count = draw(st.integers(3, 8))
    used: set[str] = set()
    out = []
    for p in range(count):
        parts = []
        for s in range(draw(st.integers(1, 3))):
            words = draw(st.lists(_word, min_size=1, max_size=4))
            sentence = f"P{p}s{s} " + " ".join(words) + "."
            used.add(sentence)
            parts.append(sentence)
        out.append(" ".join(parts))
    return out


def _text(paras: list[str]) -> str:
    return "\n\n".join(paras)


@settings(max_examples=150, deadline=None)
@given(paras=_distinct_paragraphs(), data=st.data())
def test_non_overlapping_paragraph_edits_both_present(paras, data):
    i = data.draw(st.integers(0, len(paras) - 1))
    j = data.draw(st.integers(0, len(paras) - 1).filter(lambda j: j != i))
    theirs_paras = list(paras)
    theirs_paras[i] = "Theirs wrote this."
    mine_paras = list(paras)
    mine_paras[j] = "Mine wrote that."
    expected = list(paras)
    expected[i], expected[j] = "Theirs wrote this.", "Mine wrote that."
    merged = merge_text(_text(paras), _text(theirs_paras), _text(mine_paras))
    assert merged == _text(expected)


@settings(max_examples=150, deadline=None)
@given(paras=_distinct_paragraphs(), data=st.data())
def test_non_overlapping_sentence_edits_in_one_paragraph_both_present(paras, data):
    i = data.draw(st.integers(0, len(paras) - 1))
    parts = paras[i].split(". ")
    parts = [p if p.endswith(".") else p + "." for p in parts]
    parts = [*parts, "Tail sentence here."] if len(parts) < 2 else parts
    paras = [*paras[:i], " ".join(parts), *paras[i + 1 :]]
    a = data.draw(st.integers(0, len(parts) - 1))
    b = data.draw(st.integers(0, len(parts) - 1).filter(lambda b: b != a))

    def with_sentence(k: int, sentence: str) -> list[str]:
        changed = list(parts)
        changed[k] = sentence
        return [*paras[:i], " ".join(changed), *paras[i + 1 :]]

    theirs = with_sentence(a, "Theirs fixed one.")
    mine = with_sentence(b, "Mine fixed another.")
    both = list(parts)
    both[a], both[b] = "Theirs fixed one.", "Mine fixed another."
    expected = [*paras[:i], " ".join(both), *paras[i + 1 :]]
    assert merge_text(_text(paras), _text(theirs), _text(mine)) == _text(expected)


def _side(draw: st.DrawFn, paras: list[str], name: str) -> list[str]:
    """A random edit: each paragraph kept, dropped or changed; some added."""
    out = []
    for n, p in enumerate(paras):
        fate = draw(st.sampled_from(["keep", "keep", "keep", "drop", "change"]))
        if fate == "keep":
            out.append(p)
        elif fate == "change":
            out.append(f"{name} changed {n}.")
        if draw(st.integers(0, 5)) == 0:
            out.append(f"{name} added after {n}.")
    return out


@settings(max_examples=300, deadline=None)
@given(paras=_distinct_paragraphs(), data=st.data())
def test_a_merge_never_drops_text_neither_side_deleted(paras, data):
    theirs = _side(data.draw, paras, "Theirs")
    mine = _side(data.draw, paras, "Mine")
    merged = merge_text(_text(paras), _text(theirs), _text(mine))
    if merged is None:
        return  # overlapping: the caller shows the conflict view, nothing stored
    kept_by_both = [p for p in paras if p in theirs and p in mine]
    added = [p for p in theirs + mine if p not in paras]
    for paragraph in kept_by_both + added:
        assert paragraph in merged
    for paragraph in paras:
        if paragraph not in theirs or paragraph not in mine:
            assert paragraph not in merged.split("\n\n")


@settings(max_examples=300, deadline=None)
@given(
    base=st.lists(st.text("abcdef", min_size=1, max_size=3), max_size=8, unique=True),
    data=st.data(),
)
def test_list_merge_keeps_what_both_kept_and_all_additions(base, data):
    def side(name: str) -> list[str]:
        out = [x for x in base if data.draw(st.booleans()) or not base]
        if data.draw(st.booleans()):
            out.insert(data.draw(st.integers(0, len(out))), f"{name}-new")
        return out

    theirs, mine = side("T"), side("M")
    merged = merge_items(base, theirs, mine)
    if merged is None:
        return
    for item in base:
        if item in theirs and item in mine:
            assert item in merged
        else:
            assert item not in merged
    for item in theirs + mine:
        if item not in base:
            assert item in merged


@pytest.mark.timeout(10)
def test_a_long_body_merges_quickly():
    paras = [f"Paragraph {n} says a thing. And then another." for n in range(2000)]
    base = "\n\n".join(paras)
    theirs = base.replace("Paragraph 10 says", "Paragraph ten says")
    mine = base.replace("Paragraph 1990 says", "Paragraph 1990 now says")
    merged = merge_text(base, theirs, mine)
    assert merged is not None
    assert "Paragraph ten says" in merged and "Paragraph 1990 now says" in merged
