"""The installed package, not the checkout: what `pip install .` (the README's quick start) puts on a machine.

The tests otherwise run against an editable install, where the ontology, queries and gazetteer are found next
to the package; a wheel carries them inside it. This builds the wheel and runs kg from it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_wheel_builds_validates_and_queries_the_sample(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("kg-*.whl")
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    env = {**os.environ, "PYTHONPATH": str(installed)}

    def kg(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=300)

    where = subprocess.run([sys.executable, "-c", "import kg; print(kg.__file__)"], capture_output=True, text=True,
                           env=env, check=True).stdout
    assert where.startswith(str(installed)), where
    built = kg("build", "--no-views", "--format", "json")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)[0]["tasks"] == 80
    validated = kg("validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    rows = json.loads(kg("query", "workload", "--format", "json").stdout)
    assert {"unit": "市商务局", "lead": 8, "shared": 2}.items() <= next(r for r in rows if r["unit"] == "市商务局").items()
