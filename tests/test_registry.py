"""The stage registry: versioned names to factories, held against a snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace import registry
from newstrace.config import Settings
from newstrace.errors import PipelineError

SNAPSHOT = Path(__file__).parent / "data" / "stage_registry.json"


def test_the_registry_matches_its_snapshot() -> None:
    # A renamed, re-versioned or dropped stage, or a changed settings section, is a visible
    # change: update tests/data/stage_registry.json in the same commit, on purpose.
    got = [
        {"name": e.name, "kind": e.kind, "settings": list(e.settings)} for e in registry.entries()
    ]
    assert got == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_a_section_holds_only_what_its_factory_reads(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), spacy_model="some_model", n_process=3)
    # n_process is the run's business (how many workers), not the NLP stage's.
    section = registry.section("newstrace.nlp.v2", settings)
    assert section == {
        "spacy_model": "some_model",
        "batch_size": settings.batch_size,
        "actors_dirs": [str(tmp_path / "actors")],
    }
    assert json.loads(json.dumps(section)) == section  # plain values: a worker can be sent it


def test_stages_are_built_from_name_and_section() -> None:
    settings = Settings(analyse=False)
    pipeline = registry.build_pipeline(settings)
    assert pipeline.versions == (
        "newstrace.clean.v1",
        "newstrace.group.duplicates.v2",
        "newstrace.group.stories.v2",
    )
    gate = registry.build("newstrace.gate.stored.v1", {})
    assert gate.kind == "gate" and gate.name == "newstrace.gate.stored.v1"


def test_an_unknown_stage_is_a_pipeline_error() -> None:
    with pytest.raises(PipelineError, match=r"unknown stage 'newstrace\.nope\.v1'"):
        registry.build_pipeline(Settings(), ["newstrace.clean.v1", "newstrace.nope.v1"])


def test_a_factory_must_build_the_stage_it_is_registered_as() -> None:
    class Other:
        name, kind, requires, assigns = "tests.other.v1", "document", ("raw",), ("article",)

    registry.register("tests.misnamed.v1", "document")(lambda _s: Other())
    try:
        with pytest.raises(PipelineError, match=r"built tests\.other\.v1"):
            registry.build("tests.misnamed.v1", {})
    finally:
        registry.unregister("tests.misnamed.v1")


def test_article_stages_without_the_gate_do_not_assemble() -> None:
    with pytest.raises(PipelineError, match="need a gate"):
        registry.build_pipeline(Settings(), ["newstrace.clean.v1", "newstrace.nlp.v2"])
