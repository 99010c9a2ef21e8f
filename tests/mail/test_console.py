"""Without MAIL_SERVER, `flask mail send` prints each message as a person reads it, not its MIME source."""
from __future__ import annotations

from elearn.extensions import db
from elearn.scheduling import services
from tests.factories import make_person
from tests.scheduling.factories import make_activity


def test_the_printed_mail_is_decoded_text_with_its_attachments_named(app, runner):
    assert not app.config["MAIL_SERVER"]
    activity = make_activity(title="Séminaire sur le contrôle budgétaire à l'Assemblée", capacity=5)
    person = make_person(email="aicha@example.org", full_name="Aïcha Députée", preferred_language="fr")
    services.register(activity.id, person)
    db.session.commit()

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    printed = result.output
    assert "To: aicha@example.org" in printed
    assert "Subject: " in printed and "Séminaire sur le contrôle budgétaire à l'Assemblée" in printed
    assert "Bonjour Aïcha Députée," in printed
    assert "Attachments: invite.ics" in printed
    for mime_source in ("Content-Transfer-Encoding", "=C3=A9", "=?utf-8?", "BEGIN:VCALENDAR", "MIME-Version"):
        assert mime_source not in printed, mime_source
    assert printed.strip().splitlines()[-1] == "sent 1, to retry 0, failed 0"
