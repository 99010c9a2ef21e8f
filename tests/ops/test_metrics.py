"""Prometheus metrics: request latency and failures by endpoint, and the mail backlog, behind a token."""
from prometheus_client.parser import text_string_to_metric_families

from elearn.mail.services import queue_mail

TOKEN = "a-long-random-metrics-token"


def scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def samples(body: bytes) -> dict:
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_are_off_until_a_token_is_set(client):
    assert client.get("/metrics").status_code == 404
    assert scrape(client, "anything").status_code == 404


def test_a_wrong_token_sees_nothing(make_app):
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    assert client.get("/metrics").status_code == 404
    assert scrape(client, "not-the-token").status_code == 404


def test_request_latency_is_counted_by_endpoint_not_by_path(make_app, people):
    app = make_app(METRICS_TOKEN=TOKEN)
    client = app.test_client()
    before = samples(scrape(client).data)
    key = ("hemicycle_request_seconds_count", (("endpoint", "scheduling.activities"), ("method", "GET")))
    for _ in range(3):
        assert client.get("/activities").status_code == 200
    client.get("/no/such/page/12345")
    after = samples(scrape(client).data)
    assert after[key] - before.get(key, 0) == 3
    unmatched = ("hemicycle_request_seconds_count", (("endpoint", "unmatched"), ("method", "GET")))
    assert after[unmatched] - before.get(unmatched, 0) == 1
    assert not any("12345" in str(labels) for _name, labels in after)


def test_server_errors_are_counted_as_failures(make_app):
    app = make_app(METRICS_TOKEN=TOKEN, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom-for-metrics")
    def boom():
        raise RuntimeError("boom")

    boom.access_rule = "public"
    client = app.test_client()
    key = ("hemicycle_request_failures_total", (("endpoint", "boom"), ("status", "500")))
    before = samples(scrape(client).data).get(key, 0)
    assert client.get("/boom-for-metrics").status_code == 500
    assert samples(scrape(client).data)[key] - before == 1


def test_the_outbox_backlog_is_read_from_the_database(make_app, people):
    app = make_app(METRICS_TOKEN=TOKEN)
    with app.app_context():
        for _ in range(2):
            queue_mail(to="someone@example.org", template="invitation", locale="en", person=people["learner"],
                       invited_by=None, link="http://x", days=3)
        from elearn.extensions import db

        db.session.commit()
    response = scrape(app.test_client())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    found = samples(response.data)
    assert found[("hemicycle_outbox_messages", (("status", "pending"),))] == 2
    assert found[("hemicycle_outbox_messages", (("status", "failed"),))] == 0
    assert found[("hemicycle_outbox_oldest_pending_seconds", ())] >= 0
    assert found[("hemicycle_jobs", (("state", "pending"),))] == 0
