"""The demo's questionnaire: default for every modality, answered after two past activities, once."""
from sqlalchemy import func, select

from elearn.demo import seed_people
from elearn.demo.cooperation import seed_cooperation
from elearn.demo.questionnaires import ACTIVITIES, SLUG, seed_questionnaires
from elearn.demo.schedule import seed_schedule
from elearn.evaluation import attaching
from elearn.evaluation.models import Answer, Questionnaire, Response, ResponseReceipt
from elearn.extensions import db
from elearn.people.reference_data import seed_reference_data
from elearn.scheduling.models import Activity, Modality


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_questionnaires_answers_two_past_activities_once(app):
    seed_reference_data()
    seed_people()
    seed_schedule(0)
    seed_cooperation()
    assert seed_questionnaires() == 2
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == SLUG))
    assert questionnaire.title["fr"] == "Évaluation de l'activité" and len(questionnaire.questions) == 5
    assert all(attaching.default_for(modality) == questionnaire for modality in Modality)
    for title in ACTIVITIES:
        activity = db.session.scalar(select(Activity).where(Activity.title == title))
        attached = attaching.attachment(activity.id)
        receipts = db.session.scalars(select(ResponseReceipt).where(
            ResponseReceipt.activity_questionnaire_id == attached.id)).all()
        responses = db.session.scalar(select(func.count()).select_from(Response).where(
            Response.activity_questionnaire_id == attached.id))
        answered = sum(r.answered for r in receipts)
        assert answered == responses and responses >= 0.7 * len(receipts) and answered < len(receipts)
        assert all(r.invited for r in receipts) and all(r.reminded for r in receipts if not r.answered)
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.person_id.is_not(None))) == 0
    ratings = set(db.session.scalars(select(Answer.rating).where(Answer.rating.is_not(None))))
    assert len(ratings) >= 3
    texts = db.session.scalars(select(Answer.text).where(Answer.text != "")).all()
    assert any("Je vais" in t or "Proposer" in t or "Partager" in t or "Mieux" in t for t in texts)
    counts = (_count(Questionnaire), _count(Response), _count(Answer), _count(ResponseReceipt))
    assert seed_questionnaires() == 0
    assert (_count(Questionnaire), _count(Response), _count(Answer), _count(ResponseReceipt)) == counts
