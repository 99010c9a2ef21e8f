"""Which questionnaire an activity uses, and when it is open.

An activity uses the questionnaire its trainers chose, else the default for its modality. It opens
when the last session ends and closes EVALUATION_OPEN_DAYS later; until invitations go, the window
follows the activity's dates if they move.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select

from elearn.errors import UserError
from elearn.evaluation.models import ActivityQuestionnaire, Questionnaire, Response
from elearn.extensions import db
from elearn.scheduling.models import Activity, ActivityStatus


class AttachError(UserError):
    pass


def open_days() -> int:
    return int(current_app.config.get("EVALUATION_OPEN_DAYS", 21))


def window(activity: Activity) -> tuple[datetime, datetime]:
    opens = activity.ends_at
    return opens, opens + timedelta(days=open_days())


def default_for(modality) -> Questionnaire | None:
    """The questionnaire in use that is the default for this modality (the newest, should two claim it)."""
    value = getattr(modality, "value", modality)
    for questionnaire in db.session.scalars(select(Questionnaire).where(Questionnaire.retired_at.is_(None))
                                            .order_by(Questionnaire.created_at.desc(), Questionnaire.id.desc())):
        if value in (questionnaire.default_for_modalities or []):
            return questionnaire
    return None


def attachment(activity_id: int) -> ActivityQuestionnaire | None:
    return db.session.scalar(select(ActivityQuestionnaire).where(ActivityQuestionnaire.activity_id == activity_id))


def has_responses(attached: ActivityQuestionnaire) -> bool:
    return bool(db.session.scalar(select(exists().where(Response.activity_questionnaire_id == attached.id))))


def attach(activity: Activity, questionnaire_id: int | None) -> ActivityQuestionnaire:
    """Attach the chosen questionnaire (None: the default for the modality); commit."""
    if activity.ends_at is None:
        raise AttachError(_("The activity has no sessions yet: add them first."), "questionnaire")
    if questionnaire_id is None:
        questionnaire = default_for(activity.modality)
        if questionnaire is None:
            raise AttachError(_("No questionnaire is the default for this modality: choose one."), "questionnaire")
    else:
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        if questionnaire is None or questionnaire.retired_at is not None:
            raise AttachError(_("Choose a questionnaire in use."), "questionnaire")
    attached = attachment(activity.id)
    if attached is not None and attached.questionnaire_id != questionnaire.id and has_responses(attached):
        raise AttachError(_("Participants have answered the questionnaire: it can no longer change."),
                          "questionnaire")
    opens, closes = window(activity)
    if attached is None:
        attached = ActivityQuestionnaire(activity_id=activity.id, questionnaire_id=questionnaire.id,
                                         opens_at=opens, closes_at=closes)
        db.session.add(attached)
    else:
        attached.questionnaire_id = questionnaire.id
        if attached.invitations_sent_at is None:
            attached.opens_at, attached.closes_at = opens, closes
    db.session.commit()
    return attached


def follow_dates(attached: ActivityQuestionnaire) -> None:
    """Before any invitation: open when the activity (as it is now) ends. Not committed."""
    activity = attached.activity
    if attached.invitations_sent_at is None and activity.ends_at is not None:
        opens, closes = window(activity)
        if (opens, closes) != (attached.opens_at, attached.closes_at):
            attached.opens_at, attached.closes_at = opens, closes


def attach_defaults(now: datetime) -> int:
    """Activities ended within the open period with no questionnaire get their modality's default."""
    since = now - timedelta(days=open_days())
    activities = db.session.scalars(
        select(Activity).where(Activity.ends_at <= now, Activity.ends_at > since,
                               Activity.status.in_((ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)),
                               ~exists().where(ActivityQuestionnaire.activity_id == Activity.id))
        .order_by(Activity.id)).all()
    attached = 0
    for activity in activities:
        questionnaire = default_for(activity.modality)
        if questionnaire is None:
            continue
        opens, closes = window(activity)
        db.session.add(ActivityQuestionnaire(activity_id=activity.id, questionnaire_id=questionnaire.id,
                                             opens_at=opens, closes_at=closes))
        attached += 1
    db.session.commit()
    return attached
