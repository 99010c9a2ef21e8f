"""The missions demo: a roster of about thirty experts, a past assessment mission with its terms, validated
report and what it led to, a technical-assistance mission in progress, and a coming conference."""
from sqlalchemy import func, select

from elearn.cooperation.models import NeedsRequest
from elearn.database import utcnow
from elearn.demo.experts import ROSTER
from elearn.demo.missions import ASSESSMENT, ASSISTANCE, CONFERENCE, PROGRAMME_SLUG
from elearn.extensions import db
from elearn.missions.models import ExpertAvailability, ExpertLanguage, ExpertProfile, MissionTeamMember, TeamRole
from elearn.missions.report_models import MissionReport, Recommendation, ReportStatus
from elearn.missions.terms_models import TermsOfReference, TermsVersion
from elearn.people.models import Person
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Modality,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationState,
)
from tests.helpers import sign_in


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def seeded(runner):
    result = runner.invoke(args=["demo", "seed", "--no-courses"])
    assert result.exit_code == 0, result.output
    return result


def activity(title: str) -> Activity:
    return db.session.scalar(select(Activity).where(Activity.title == title))


def test_the_roster_holds_about_thirty_experts_of_the_assisting_parliaments(app, runner):
    seeded(runner)
    profiles = db.session.scalars(select(ExpertProfile)).all()
    assert len(profiles) == len(ROSTER) >= 28
    assert all(p.person.parliament.gives_assistance for p in profiles)
    assert {p.person.parliament.country_code for p in profiles} >= {"FR", "BE", "DE", "PT", "ES"}
    assert {p.person.kind.value for p in profiles} == {"mp", "staff"}
    assert all(p.topics and p.languages and p.keywords for p in profiles)
    assert {language.language for language in db.session.scalars(select(ExpertLanguage))} == {"en", "fr", "es", "pt", "ar"}
    assert any(not p.willing_to_travel for p in profiles)
    today = utcnow().date()
    assert db.session.scalar(select(func.min(ExpertAvailability.starts_on))) > today
    # The README's head of mission signs in with the demo learners' password.
    assert sign_in(app.test_client(), "claire.vasseur@example.org", "demo-learner-2026").status_code == 302


def test_the_assessment_mission_has_its_team_terms_report_and_what_it_led_to(app, runner):
    seeded(runner)
    mission = activity(ASSESSMENT)
    assert mission.modality == Modality.NEEDS_ASSESSMENT_MISSION and mission.status == ActivityStatus.COMPLETED
    assert mission.ends_at < utcnow()
    focal = db.session.scalar(select(Person).where(Person.email == "focal@example.org"))
    assert mission.host_parliament_id == focal.parliament_id
    team = db.session.scalars(select(MissionTeamMember).where(MissionTeamMember.activity_id == mission.id)).all()
    assert {m.role for m in team} == {TeamRole.HEAD, TeamRole.EXPERT, TeamRole.INTERPRETER}
    assert all(m.registration.state == RegistrationState.CONFIRMED and m.registration.person_id == m.person_id
               and m.registration.activity_id == mission.id for m in team)
    assert all(db.session.scalar(select(ExpertProfile).where(ExpertProfile.person_id == m.person_id)) for m in team)

    terms = db.session.scalar(select(TermsOfReference).where(TermsOfReference.activity_id == mission.id))
    assert terms.version == 2 and terms.agreed_version == 2 and terms.agreed_is_current
    assert terms.agreed_by_id == focal.id
    assert [v.version for v in terms.versions] == [2, 1]
    assert "objectives" in terms.versions[0].changed_fields and "counterpart_institution" not in terms.versions[0].changed_fields
    assert "<h2>" in terms.body_html and "budget analysis unit" in terms.body_html

    report = db.session.scalar(select(MissionReport).where(MissionReport.activity_id == mission.id))
    head = next(m for m in team if m.role == TeamRole.HEAD)
    assert report.status == ReportStatus.VALIDATED and report.author_id == head.person_id
    assert 4 <= len(report.recommendations) <= 5
    assert len({r.priority for r in report.recommendations}) == 3
    programme_links = [r for r in report.recommendations if r.programme_id]
    request_links = [r for r in report.recommendations if r.needs_request_id]
    assert len(programme_links) == len(request_links) == 1
    programme = programme_links[0].programme
    assert programme.slug == PROGRAMME_SLUG and programme.status == ProgrammeStatus.PLANNED
    assert mission.host_parliament in programme.partners
    request = request_links[0].needs_request
    assert request.parliament_id == mission.host_parliament_id
    assert all(r.converted_at and r.converted_by_id for r in programme_links + request_links)


def test_the_technical_assistance_mission_is_in_progress_with_agreed_terms_and_a_draft_report(app, runner):
    seeded(runner)
    mission = activity(ASSISTANCE)
    now = utcnow()
    assert mission.modality == Modality.TECHNICAL_ASSISTANCE_MISSION
    assert mission.starts_at < now < mission.ends_at and mission.status == ActivityStatus.PUBLISHED
    team = db.session.scalars(select(MissionTeamMember).where(MissionTeamMember.activity_id == mission.id)).all()
    assert TeamRole.HEAD in {m.role for m in team}
    assert all(m.registration.state == RegistrationState.CONFIRMED for m in team)
    terms = db.session.scalar(select(TermsOfReference).where(TermsOfReference.activity_id == mission.id))
    assert terms.agreed_is_current
    report = db.session.scalar(select(MissionReport).where(MissionReport.activity_id == mission.id))
    assert report.status == ReportStatus.DRAFT and report.validated_at is None


def test_the_conference_invites_several_parliaments_with_a_quota(app, runner):
    seeded(runner)
    conference = activity(CONFERENCE)
    assert conference.modality == Modality.CONFERENCE and conference.starts_at > utcnow()
    assert len(conference.invited_parliaments) >= 3 and conference.quota_per_parliament == 3
    nominated = db.session.scalars(select(Registration).where(Registration.activity_id == conference.id)).all()
    assert nominated and all(r.nominated_by.email == "focal@example.org" for r in nominated)


def test_a_second_seed_adds_nothing(app, runner):
    seeded(runner)
    models = (Person, ExpertProfile, ExpertLanguage, ExpertAvailability, Activity, Registration, MissionTeamMember,
              TermsOfReference, TermsVersion, MissionReport, Recommendation, Programme, NeedsRequest)
    before = [count(model) for model in models]
    again = seeded(runner)
    assert "0 people and 0 activities added" in again.output
    assert [count(model) for model in models] == before
