"""Under gunicorn with several workers, one scrape counts the requests every worker served."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from elearn import create_app
from elearn.extensions import db

PROJECT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-for-the-gunicorn-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def healthz_count(base: str) -> float:
    request = urllib.request.Request(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    body = urllib.request.urlopen(request, timeout=5).read().decode()
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == "hemicycle_request_seconds_count" and sample.labels.get("endpoint") == "ops.healthz":
                return sample.value
    return 0.0


def test_a_scrape_sums_the_requests_of_every_worker(tmp_path):
    database = tmp_path / "site.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "s" * 32, "TESTING": True})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    config = tmp_path / "gunicorn.conf.py"
    config.write_text(
        "from elearn.ops.gunicorn import child_exit, prepare_metrics_directory\n"
        f"prepare_metrics_directory({str(tmp_path / 'metrics')!r})\n")
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "s" * 32,
                   "METRICS_TOKEN": TOKEN, "HEMICYCLE_INSTANCE_PATH": str(tmp_path / "instance"),
                   "SESSION_COOKIE_SECURE": "false"}
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(config), "--workers", "3", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"], cwd=PROJECT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        before = healthz_count(base)

        def hit(_):
            return urllib.request.urlopen(f"{base}/healthz", timeout=5).status

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(hit, range(120))) == {200}
        # Any worker may answer the scrape; each time, it must report all three workers' requests.
        for _ in range(3):
            assert healthz_count(base) - before == 120
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()
