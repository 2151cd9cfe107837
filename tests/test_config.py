"""Settings: layering order, coercion, and that every setting is documented."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from newstrace.config import ConfigError, Settings, load_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "config.md"


def test_defaults_when_nothing_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert load_settings(env={}) == Settings()


def test_layers_override_in_order(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('db = "from-file.db"\nbatch_size = 7\nspacy_model = "file_model"\n')
    env = {"NEWSTRACE_BATCH_SIZE": "9", "NEWSTRACE_SPACY_MODEL": "env_model", "OTHER": "x"}
    s = load_settings(cfg, env=env, spacy_model="cli_model", db=None)
    assert s.db == "from-file.db"  # file only
    assert s.batch_size == 9  # env beats file
    assert s.spacy_model == "cli_model"  # CLI beats env


def test_newstrace_table_in_toml_is_accepted(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[newstrace]\nrespect_robots = false\n")
    assert load_settings(cfg, env={}).respect_robots is False


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("bogus = 1\n", "unknown setting"),
        ("batch_size = 'many'\n", "not a valid int"),
        ("this is not toml", "config file"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, env={})


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "none.toml", env={})


def test_bad_env_bool_is_an_error() -> None:
    with pytest.raises(ConfigError, match="respect_robots"):
        load_settings(env={"NEWSTRACE_RESPECT_ROBOTS": "perhaps"})


def test_every_setting_has_help_and_a_doc_entry() -> None:
    doc = DOCS.read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f.metadata.get("help"), f"setting {f.name} has no help line"
        assert f"`{f.name}`" in doc, f"setting {f.name} is not documented in docs/config.md"
        assert f"NEWSTRACE_{f.name.upper()}" in doc, (
            f"env form of {f.name} missing from docs/config.md"
        )
