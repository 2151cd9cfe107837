"""The cue-verb data file: every speech verb the issue names is there, with a known frame."""

from __future__ import annotations

from newstrace.quotes.lexicon import cue_frames, honorifics, role_heads, section_labels


def test_issue_speech_verbs_are_cues() -> None:
    frames = cue_frames()
    named = "say tell add warn accuse insist claim deny state note stress argue announce urge call"
    missing = [v for v in named.split() if v not in frames]
    assert missing == []
    assert "ccomp" in frames["say"]
    assert {"on", "for"} <= frames["call"]  # 'called on X to ...', 'called for ...'
    assert frames["accuse"] == frozenset({"of"})


def test_role_and_label_lists_load() -> None:
    assert "president" in role_heads()["leader"]
    assert role_heads()["official"] == frozenset({"*"})
    assert "gov." in honorifics()
    assert "watch" in section_labels()
