"""The demo's evaluation: a default "Activity evaluation" questionnaire, answered after two past activities."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from elearn.evaluation import attaching, responding, sending
from elearn.evaluation import questionnaires as service
from elearn.evaluation.models import ActivityQuestionnaire, QuestionKind, Questionnaire, ResponseReceipt
from elearn.evaluation.questionnaires import QuestionInput, QuestionnaireInput
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Modality

SLUG = "activity-evaluation"
# The demo's two past activities with attendance (elearn/demo/cooperation.py).
ACTIVITIES = ("Workshop on committee hearings", "Regional seminar on the official record")
AGREEMENT = {"en": ["Very poor", "Poor", "Fair", "Good", "Excellent"],
             "fr": ["Très insuffisant", "Insuffisant", "Moyen", "Bien", "Excellent"]}
USEFUL = {"en": ["Not useful", "Slightly useful", "Useful", "Very useful", "Essential"],
          "fr": ["Pas utile", "Peu utile", "Utile", "Très utile", "Indispensable"]}
TOPICS = {"en": ["Budget oversight", "Committee work", "Legislative drafting", "The official record",
                 "Gender equality in parliament", "Digital parliament"],
          "fr": ["Contrôle budgétaire", "Travail en commission", "Rédaction législative", "Le compte rendu officiel",
                 "Égalité femmes-hommes au parlement", "Parlement numérique"]}
APPLY = {
    "en": ["I will prepare a hearing plan with the committee chair before each hearing.",
           "Sharing the checklist for witnesses with my colleagues in the secretariat.",
           "Better follow-up of the committee's recommendations, with a table we update monthly.",
           "I will propose a style guide for the official record."],
    "fr": ["Je vais préparer un plan d'audition avec le président de la commission avant chaque audition.",
           "Partager la liste de contrôle pour les témoins avec mes collègues du secrétariat.",
           "Mieux suivre les recommandations de la commission, avec un tableau mis à jour chaque mois.",
           "Proposer un guide de rédaction pour le compte rendu intégral, et former les nouveaux rédacteurs."],
}


def _questionnaire() -> Questionnaire:
    questionnaire = service.create_questionnaire(QuestionnaireInput(
        title={"en": "Activity evaluation", "fr": "Évaluation de l'activité"},
        intro={"en": "Tell us what you thought of the activity. It takes five minutes; your answers are anonymous.",
               "fr": "Dites-nous ce que vous avez pensé de l'activité. Cela prend cinq minutes ; "
                     "vos réponses sont anonymes."},
        anonymous=True, default_for_modalities=tuple(m.value for m in Modality)))
    for data in (
        QuestionInput(QuestionKind.RATING, {"en": "Overall, how do you rate the activity?",
                                            "fr": "Dans l'ensemble, comment évaluez-vous l'activité ?"},
                      scale_points=5, scale_labels=AGREEMENT),
        QuestionInput(QuestionKind.RATING, {"en": "How useful is it for your work?",
                                            "fr": "Quelle est son utilité pour votre travail ?"},
                      scale_points=5, scale_labels=USEFUL),
        QuestionInput(QuestionKind.SESSION_RATING, {"en": "How do you rate each session?",
                                                    "fr": "Comment évaluez-vous chaque séance ?"},
                      scale_points=5, scale_labels=AGREEMENT),
        QuestionInput(QuestionKind.TEXT, {"en": "What will you apply in your work?",
                                          "fr": "Que allez-vous appliquer dans votre travail ?"}, required=False),
        QuestionInput(QuestionKind.MULTIPLE, {"en": "Which topics would you like for a next activity?",
                                              "fr": "Quels thèmes souhaiteriez-vous pour une prochaine activité ?"},
                      required=False, option_labels=TOPICS),
    ):
        service.add_question(questionnaire, data)
    return questionnaire


def _answers(questionnaire: Questionnaire, activity: Activity, person: Person, draw: random.Random):
    overall, useful, per_session, apply, topics = questionnaire.questions
    base = draw.choice((3, 4, 4, 4, 5, 5))
    answers = [responding.AnswerInput(overall.id, rating=base),
               responding.AnswerInput(useful.id, rating=max(1, min(5, base + draw.choice((-1, 0, 0, 1)))))]
    answers += [responding.AnswerInput(per_session.id, session.id, rating=max(2, min(5, base + draw.choice((-1, 0, 1)))))
                for session in activity.sessions]
    if draw.random() < 0.6:
        language = "fr" if person.preferred_language == "fr" else "en"
        answers.append(responding.AnswerInput(apply.id, text=draw.choice(APPLY[language])))
    if draw.random() < 0.7:
        answers.append(responding.AnswerInput(topics.id, choices=tuple(sorted(draw.sample(
            [option["key"] for option in topics.options], draw.choice((1, 2, 2, 3)))))))
    return answers


def _answered_by_most(questionnaire: Questionnaire, activity: Activity, draw: random.Random) -> None:
    attached = attaching.attachment(activity.id) or attaching.attach(activity, questionnaire.id)
    people = db.session.scalars(select(Person).where(Person.id.in_(sending.attendees_statement(activity.id)))
                                .order_by(Person.id)).all()
    for person in people:
        db.session.add(ResponseReceipt(activity_questionnaire_id=attached.id, person_id=person.id, invited=True))
    attached.invitations_sent_at = attached.opens_at + timedelta(hours=2)
    attached.reminders_sent_at = attached.opens_at + timedelta(days=7, hours=2)
    db.session.commit()
    for index, person in enumerate(people):
        if index % 5 == 3:  # about one in five does not answer, and was reminded
            db.session.execute(ResponseReceipt.__table__.update().where(
                ResponseReceipt.activity_questionnaire_id == attached.id, ResponseReceipt.person_id == person.id)
                .values(reminded=True))
            continue
        day = attached.opens_at + timedelta(days=draw.choice((0, 1, 1, 2, 3, 8, 9)), hours=3)
        responding.submit(attached, person, _answers(questionnaire, activity, person, draw), day)
    db.session.commit()


def seed_questionnaires() -> int:
    """Add the questionnaire and each activity's responses once; returns the number of activities answered."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == SLUG)) or _questionnaire()
    draw = random.Random(19)  # the same demo on every machine
    answered = 0
    for title in ACTIVITIES:
        activity = db.session.scalar(select(Activity).where(Activity.title == title))
        if activity is None or activity.ends_at is None:
            continue
        existing = db.session.scalar(select(ActivityQuestionnaire).where(
            ActivityQuestionnaire.activity_id == activity.id))
        if existing is None:
            _answered_by_most(questionnaire, activity, draw)
            answered += 1
    return answered
