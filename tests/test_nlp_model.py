"""spaCy model loading, batch parsing and Doc serialisation."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newstrace.nlp.model import (
    NLP_VERSION,
    ModelError,
    doc_to_bytes,
    docs_from_bytes,
    docs_to_bytes,
    load_model,
    parse,
)


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model()


def test_version_constant() -> None:
    assert NLP_VERSION == "newstrace.nlp.v2"


def test_missing_model_is_a_one_line_error() -> None:
    with pytest.raises(ModelError) as info:
        load_model("no_such_model_xyz")
    msg = str(info.value)
    assert "no_such_model_xyz" in msg and "not installed" in msg and "\n" not in msg


def test_invalid_model_name() -> None:
    with pytest.raises(ModelError, match="not a valid model name"):
        load_model("bad name; rm -rf")


def test_parse_rejects_bad_batching() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        parse(["x"], batch_size=0)
    with pytest.raises(ValueError, match="n_process"):
        parse(["x"], n_process=0)


def test_docbin_roundtrip_keeps_entities_and_user_data() -> None:
    vocab = spacy.blank("en").vocab
    doc = Doc(vocab, words=["Putin", "met", "Aliyev", "."], ents=["B-PERSON", "O", "B-PERSON", "O"])
    doc.user_data["article_id"] = "abc"
    other = Doc(vocab, words=["Second", "doc"])
    (back,) = docs_from_bytes(doc_to_bytes(doc), vocab=vocab)
    assert [t.text for t in back] == ["Putin", "met", "Aliyev", "."]
    assert [(e.text, e.label_) for e in back.ents] == [("Putin", "PERSON"), ("Aliyev", "PERSON")]
    assert back.user_data["article_id"] == "abc"
    assert [d.text for d in docs_from_bytes(docs_to_bytes([doc, other]), vocab=vocab)] == [
        doc.text,
        other.text,
    ]


def test_corrupt_bytes_are_a_clear_error() -> None:
    with pytest.raises(ValueError, match="corrupt"):
        docs_from_bytes(b"not a docbin", vocab=spacy.blank("en").vocab)


@pytest.mark.slow
def test_load_model_is_cached_and_parses(nlp: Language) -> None:
    assert load_model() is nlp
    docs = parse(
        ["Russian President Vladimir Putin spoke in Moscow.", "Second text."], batch_size=1
    )
    assert len(docs) == 2
    assert ("Vladimir Putin", "PERSON") in [(e.text, e.label_) for e in docs[0].ents]
    assert docs[0].has_annotation("DEP")
    (back,) = docs_from_bytes(doc_to_bytes(docs[0]))
    assert [t.dep_ for t in back] == [t.dep_ for t in docs[0]]
    assert [(e.start_char, e.label_) for e in back.ents] == [
        (e.start_char, e.label_) for e in docs[0].ents
    ]


@pytest.mark.slow
def test_load_model_by_spacy_load_path(nlp: Language, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "pipeline"
    spacy.blank("en").to_disk(path)
    loaded = load_model(str(path))
    # A pipeline without a parser still gets line breaks as sentence starts.
    assert loaded.pipe_names == ["newstrace_paragraphs"]


@pytest.mark.slow
def test_line_breaks_start_sentences(nlp: Language) -> None:
    # Without the component the small model reads the headline's last word and the next
    # paragraph's subject as one noun phrase ("Dragomir Varnia's president").
    doc = nlp(
        "Drills near our border are reckless - Dragomir\n\nVarnia's president warned on Monday."
    )
    starts = [s[0].text for s in doc.sents]
    assert starts == ["Drills", "Varnia"]
    assert nlp.pipe_names.index("newstrace_paragraphs") < nlp.pipe_names.index("parser")
