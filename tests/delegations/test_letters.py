"""Invitation letters: issuing and reissuing, what each letter keeps, and the PDF in English and French."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.delegations import letters
from elearn.delegations.letters_models import InvitationLetter
from elearn.delegations.letters_pdf import letter_pdf
from elearn.delegations.logistics_models import Payer
from elearn.extensions import db
from elearn.scheduling.models import RegistrationState
from tests.delegations.letters_factories import PASSPORT, participant, pdf_text, visit
from tests.factories import make_person

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")


def flat(text: str) -> str:
    """The text with every run of spaces and line breaks made one space (justified lines stretch them)."""
    return " ".join(text.split())


@pytest.fixture
def trainer(app):
    return make_person(Role.TRAINER, full_name="Claire Martin")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_issuing_keeps_the_facts_of_the_day_and_is_audited_without_passport_data(trainer):
    registration = participant(visit([trainer]))
    letter = letters.issue(registration, "fr", trainer)
    assert CODE.match(letter.code)
    assert (letter.holder_name, letter.holder_position) == ("Aya Kouassi", "Member of the finance committee")
    assert letter.parliament_name == "Assemblée nationale de Côte d'Ivoire"  # in the letter's language
    assert (letter.starts_on, letter.ends_on) == (date(2027, 3, 3), date(2027, 3, 5))
    assert letter.place == "Palais Bourbon, Paris, France"
    assert (letter.travel_paid_by, letter.stay_paid_by) == (Payer.MINISTRY, Payer.PROGRAMME)
    assert letter.funder_name == "Ministry of Foreign Affairs"
    assert letter.issued_by_id == trainer.id and letter.is_current
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.INVITATION_LETTER_ISSUED))
    assert (event.actor_id, event.object_type, event.object_id) == (trainer.id, "invitation_letter", letter.id)
    assert event.details == {"registration_id": registration.id, "language": "fr"}
    assert PASSPORT not in str(event.details) and letter.code not in str(event.details)

    # A later change of name does not rewrite what the letter said.
    registration.person.full_name = "Aya Kouassi-Yao"
    db.session.commit()
    assert db.session.get(InvitationLetter, letter.id).holder_name == "Aya Kouassi"


def test_codes_differ_between_letters(trainer):
    activity = visit([trainer])
    registrations = [participant(activity, email=f"p{n}@example.org") for n in range(3)]
    codes = {letters.issue(registration, language, trainer).code
             for registration in registrations for language in ("en", "fr")}
    assert len(codes) == 6


@pytest.mark.parametrize("state", [RegistrationState.REQUESTED, RegistrationState.WAITLISTED,
                                   RegistrationState.DECLINED, RegistrationState.WITHDRAWN])
def test_only_confirmed_participants_get_a_letter(trainer, state):
    registration = participant(visit([trainer]), state=state)
    with pytest.raises(letters.LetterError, match="Only a confirmed participant"):
        letters.issue(registration, "en", trainer)
    assert count(InvitationLetter) == 0 and count(AuditEvent) == 0


def test_no_letter_for_a_cancelled_activity(trainer):
    from elearn.scheduling.models import ActivityStatus

    activity = visit([trainer])
    registration = participant(activity)
    activity.status = ActivityStatus.CANCELLED
    db.session.commit()
    with pytest.raises(letters.LetterError, match="cancelled"):
        letters.issue(registration, "en", trainer)
    assert count(InvitationLetter) == 0


@pytest.mark.parametrize("travel, stay, logistics", [(None, Payer.MINISTRY, True), (Payer.SELF, None, True),
                                                     (None, None, False)])
def test_a_letter_needs_both_payers_stated(trainer, travel, stay, logistics):
    registration = participant(visit([trainer]), travel=travel, stay=stay, logistics=logistics)
    with pytest.raises(letters.LetterError, match="who pays the travel and who pays the stay of Aya Kouassi"):
        letters.issue(registration, "en", trainer)
    assert count(InvitationLetter) == 0 and count(AuditEvent) == 0


def test_a_language_the_letters_are_not_written_in_is_refused(trainer):
    registration = participant(visit([trainer]))
    with pytest.raises(letters.LetterError) as refused:
        letters.issue(registration, "ru", trainer)
    assert refused.value.field == "language" and count(InvitationLetter) == 0


def test_the_participants_language_is_offered_when_the_site_speaks_it(app, trainer):
    person = make_person(preferred_language="es")
    app.config["LANGUAGES"] = ("en", "fr")
    assert letters.letter_languages(person) == ["en", "fr"]
    app.config["LANGUAGES"] = ("en", "fr", "es")
    assert letters.letter_languages(person) == ["en", "fr", "es"]
    assert letters.letter_languages(make_person(preferred_language="fr")) == ["en", "fr"]


def test_a_second_letter_in_one_language_is_a_reissue(trainer):
    registration = participant(visit([trainer]))
    letters.issue(registration, "en", trainer)
    letters.issue(registration, "fr", trainer)  # another language is another letter
    with pytest.raises(letters.LetterError, match="already issued"):
        letters.issue(registration, "en", trainer)
    assert count(InvitationLetter) == 2


def test_reissuing_supersedes_the_old_letter_with_a_new_code(trainer):
    registration = participant(visit([trainer]))
    old = letters.issue(registration, "en", trainer)
    registration.person.full_name = "Aya Kouassi-Yao"
    db.session.commit()
    admin = make_person(Role.ADMIN)
    new = letters.reissue(old, admin)
    assert old.superseded_at is not None and not old.is_current and new.is_current
    assert new.code != old.code and new.holder_name == "Aya Kouassi-Yao" and old.holder_name == "Aya Kouassi"
    assert letters.current_letter(registration, "en") == new
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.INVITATION_LETTER_REISSUED))
    assert (event.actor_id, event.object_id, event.details["supersedes"]) == (admin.id, new.id, old.id)
    with pytest.raises(letters.LetterError, match="already replaced"):
        letters.reissue(old, admin)


def test_a_refused_reissue_leaves_the_old_letter_current(trainer):
    registration = participant(visit([trainer]))
    old = letters.issue(registration, "en", trainer)
    registration.state = RegistrationState.WITHDRAWN
    db.session.commit()
    with pytest.raises(letters.LetterError):
        letters.reissue(old, trainer)
    db.session.rollback()
    assert db.session.get(InvitationLetter, old.id).is_current and count(InvitationLetter) == 1


def test_codes_are_found_however_they_are_typed(trainer):
    letter = letters.issue(participant(visit([trainer])), "en", trainer)
    compact = letter.code.replace("-", "")
    for typed in (letter.code, compact.lower(), " ".join(compact), f"  {letter.code.lower()} "):
        assert letters.letter_by_code(typed) == letter
    assert letters.letter_by_code("AAAA-AAAA-AAAA") is None and letters.letter_by_code("--") is None


def test_english_pdf_states_the_visit_the_payers_and_the_passport(app, trainer):
    app.config.update(LETTERHEAD_NAME="Training Unit of the National Assembly", LETTERHEAD_CITY="Paris",
                      LETTERHEAD_ADDRESS="1 rue du Parlement; 75000 Paris", LETTERHEAD_SIGNATORY_NAME="Jeanne Dupont",
                      LETTERHEAD_SIGNATORY_TITLE="Director of Cooperation")
    registration = participant(visit([trainer]))
    letter = letters.issue(registration, "en", trainer)
    body = letter_pdf(letter, letters.logistics_of(registration))
    assert body.startswith(b"%PDF-")
    text = flat(pdf_text(body))
    for expected in ("Training Unit of the National Assembly", "1 rue du Parlement", "75000 Paris",
                     "To the consular services concerned", "invitation letter for a visa application",
                     "Participant Aya Kouassi", "Position Member of the finance committee",
                     "Parliament National Assembly of Côte d'Ivoire", f"Passport number {PASSPORT}",
                     "Passport issued by Côte d’Ivoire", "Activity Working visit on budget oversight",
                     "Dates From March 3, 2027 to March 5, 2027", "Place Palais Bourbon, Paris, France",
                     "Travel paid by Ministry of foreign affairs",
                     "Stay paid by Programme or funder (Ministry of Foreign Affairs)",
                     "Jeanne Dupont", "Director of Cooperation", f"Verification code: {letter.code}",
                     f"http://hemicycle.test/letters/check/{letter.code}"):
        assert expected in text, expected
    assert text.index("Paris, ") < text.index("To the consular services")


def test_french_pdf_is_in_french_with_french_payer_labels(trainer):
    registration = participant(visit([trainer]), travel=Payer.HOST_PARLIAMENT, stay=Payer.PARTNER_PARLIAMENT)
    letter = letters.issue(registration, "fr", trainer)
    text = flat(pdf_text(letter_pdf(letter, letters.logistics_of(registration))))
    for expected in ("À l’attention des services consulaires concernés",
                     "Objet : lettre d’invitation pour une demande de visa", "Madame, Monsieur,",
                     "Fonction Member of the finance committee", f"Numéro de passeport {PASSPORT}",
                     "Passeport délivré par Côte d’Ivoire", "Dates Du 3 mars 2027 au 5 mars 2027",
                     "Voyage pris en charge par Parlement hôte (Parliamentary Training and Cooperation Unit)",
                     "Séjour pris en charge par Parlement partenaire (Assemblée nationale de Côte d'Ivoire)",
                     f"Code de vérification : {letter.code}", "l’expression de notre haute considération"):
        assert expected in text, expected
    assert "consular services" not in text and "Travel paid by" not in text


def test_a_letter_without_passport_details_leaves_those_lines_out(trainer):
    registration = participant(visit([trainer]), passport="")
    registration_logistics = letters.logistics_of(registration)
    registration_logistics.passport_country = ""
    db.session.commit()
    letter = letters.issue(registration, "en", trainer)
    text = flat(pdf_text(letter_pdf(letter, registration_logistics)))
    assert "Passport" not in text and "Participant Aya Kouassi" in text


def test_long_names_and_titles_wrap_inside_the_page(trainer):
    from io import BytesIO

    from pypdf import PdfReader

    name = " ".join(["Marie-Christine Adjoua Kouassi-N'Guessan épouse Yao-Konan"] * 3)
    title = "Working visit on parliamentary oversight of the budget, " * 3
    registration = participant(visit([trainer], title=title.strip()[:200]), full_name=name)
    letter = letters.issue(registration, "en", trainer)
    body = letter_pdf(letter, letters.logistics_of(registration))
    text = flat(pdf_text(body))
    assert flat(name) in text and f"Verification code: {letter.code}" in text
    for page in PdfReader(BytesIO(body)).pages:
        # Nothing drawn past the right margin: every text run starts inside the page.
        def inside(text, cm, tm, font_dict, font_size):
            assert tm[4] <= 190 / 25.4 * 72 + 1, text
        page.extract_text(visitor_text=inside)
