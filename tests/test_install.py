"""`pip install newstrace` without extras, in a new virtualenv with the pip Python ships, gives a
product that ingests HTML (the HTML path needs lxml's separate cleaner package)."""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_plain_install_ingests_an_html_page(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    cli = env_dir / "bin" / "newstrace"
    page = next((ROOT / "examples" / "html").glob("*.html"))
    db = str(tmp_path / "s.db")
    done = subprocess.run(
        [str(cli), "run", str(page), "--db", db, "-q"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    exported = subprocess.run(
        [str(cli), "export", "articles", "--db", db], capture_output=True, text=True, timeout=120
    )
    (article,) = [json.loads(line) for line in exported.stdout.splitlines()]
    assert article["title"] and len(article["text"]) > 200
