"""The release steps (scripts/release.sh, which .github/workflows/release.yml runs) in a fresh
clone: artifacts exist, the sums verify, and two runs give identical bytes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("git") or not shutil.which("make"), reason="needs git and make")


def _clone_venv(clone: Path) -> Path:
    """A venv for the clone that reuses this one's installed dependencies and imports the
    clone's own code, stamped so that `make` sees it set up (nothing is downloaded)."""
    env_dir = clone / ".venv"
    venv.create(env_dir, with_pip=False, symlinks=True)
    site = next(env_dir.glob("lib/python*/site-packages"))
    deps = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (site / "clone.pth").write_text(f"{clone}\n{deps}\n")
    script = env_dir / "bin" / "onephone-build"
    script.write_text(f"#!{env_dir}/bin/python\nimport sys\nfrom onephone_build.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    digest = hashlib.sha1((clone / "pyproject.toml").read_bytes()).hexdigest()[:12]
    (env_dir / f".installed-{digest}").touch()
    return env_dir


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    clone = tmp_path_factory.mktemp("release") / "repo"
    subprocess.run(["git", "clone", "-q", "--no-local", str(ROOT), str(clone)], check=True)
    env_dir = _clone_venv(clone)
    epoch = subprocess.run(["git", "-C", str(clone), "log", "-1", "--format=%ct"], capture_output=True,
                           text=True, check=True).stdout.strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {"SOURCE_DATE_EPOCH": epoch, "NO_COLOR": "1"}
    runs = []
    for name in ("dist1", "dist2"):
        shutil.rmtree(clone / "build", ignore_errors=True)  # a real rebuild, not an up-to-date cache hit
        proc = subprocess.run(["scripts/release.sh", name], cwd=clone, env=env | {"VENV": str(env_dir)},
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        runs.append(clone / name)
    return clone, runs, int(epoch)


def test_release_artifacts_and_sums(releases):
    clone, (dist, _), _ = releases
    slug = "one-phone-call-away"
    names = sorted(p.name for p in dist.iterdir())
    stores = [f"{slug}.{e}.epub" for e in ("apple", "google", "kepub", "kindle")]
    assert names == sorted(["SHA256SUMS", f"{slug}-web.zip", f"{slug}.epub", f"{slug}.pdf", *stores])
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 7


def test_web_zip_is_the_web_edition_sorted_with_fixed_times(releases):
    clone, (dist, _), epoch = releases
    with zipfile.ZipFile(dist / "one-phone-call-away-web.zip") as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert "one-phone-call-away-web/index.html" in names
        t = time.gmtime(epoch)
        assert {i.date_time for i in infos} == {(*t[:5], t[5] - t[5] % 2)}  # zip keeps even seconds
        built = sorted(p.relative_to(clone / "build" / "html").as_posix()
                       for p in (clone / "build" / "html").rglob("*") if p.is_file())
        assert [n.split("/", 1)[1] for n in names] == built


def test_two_runs_give_identical_bytes(releases):
    _, (a, b), _ = releases
    for name in sorted(p.name for p in a.iterdir()):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_workflow_runs_the_script_on_tags():
    wf = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert wf[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    steps = "\n".join(s.get("run", "") for s in wf["jobs"]["release"]["steps"])
    assert "git log -1 --format=%ct" in steps and "make book" in steps
    assert "scripts/release.sh dist" in steps and "gh release upload" in steps
