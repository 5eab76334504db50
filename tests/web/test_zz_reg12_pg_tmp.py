import os, subprocess, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[2]
def test_pg(postgres_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": postgres_url}
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests/web/test_web_registers.py", "tests/web/test_web_schema.py", "tests/web/test_web_security.py", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", "-m", "not browser"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    print(proc.stdout[-4000:])
    assert proc.returncode == 0, proc.stdout[-4000:]
