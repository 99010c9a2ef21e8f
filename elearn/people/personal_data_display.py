"""The "Your data" page: each section of people.personal_data as a table with readable headings and values."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import select

from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.i18n import moment
from elearn.people.personal_data import PersonalData

COLUMN_LABELS = {
    "id": _lp("data column", "Number"), "email": _lp("data column", "Email"), "full_name": _lp("data column", "Name"), "parliament_id": _lp("data column", "Parliament"),
    "kind": _lp("data column", "Kind"), "position": _lp("data column", "Position"), "preferred_language": _lp("data column", "Language"),
    "timezone": _lp("data column", "Time zone"), "gender": _lp("data column", "Gender"), "political_side": _lp("data column", "Political side"),
    "side": _lp("data column", "Political side"), "term_started_on": _lp("data column", "Term started on"), "role": _lp("data column", "Role"),
    "is_active": _lp("data column", "Active"), "created_at": _lp("data column", "Created"), "last_login_at": _lp("data column", "Last signed in"),
    "erased_at": _lp("data column", "Erased"), "activity_id": _lp("data column", "Activity"), "person_id": _lp("data column", "Person"),
    "state": _lp("data column", "State"), "status": _lp("data column", "Status"), "waitlist_position": _lp("data column", "Place on the waiting list"),
    "nominated_by_id": _lp("data column", "Nominated by"), "trainer_message": _lp("data column", "Message from the trainer"),
    "updated_at": _lp("data column", "Updated"), "registration_id": _lp("data column", "Registration"), "session_id": _lp("data column", "Session"),
    "recorded_at": _lp("data column", "Recorded"), "course_id": _lp("data column", "Course"), "enrolled_by_id": _lp("data column", "Enrolled by"),
    "enrolled_at": _lp("data column", "Enrolled"), "best_score": _lp("data column", "Best score"), "quiz_passed_at": _lp("data column", "Quiz passed"),
    "completed_at": _lp("data column", "Completed"), "enrolment_id": _lp("data column", "Course enrolment"), "lesson_id": _lp("data column", "Lesson"),
    "quiz_id": _lp("data column", "Quiz"), "submitted_at": _lp("data column", "Submitted"), "correct": _lp("data column", "Right answers"),
    "total": _lp("data column", "Questions"), "score": _lp("data column", "Score"), "passed": _lp("data column", "Passed"), "attempt_id": _lp("data column", "Attempt"),
    "question_id": _lp("data column", "Question"), "chosen": _lp("data column", "Chosen"), "is_correct": _lp("data column", "Right"),
    "code": _lp("data column", "Verification code"), "holder_name": _lp("data column", "Holder"), "course_title": _lp("data column", "Course"),
    "course_version": _lp("data column", "Course version"), "issued_at": _lp("data column", "Issued"), "effective_from": _lp("data column", "In force from"),
    "recorded_by_id": _lp("data column", "Recorded by"), "note": _lp("data column", "Note"), "include_tentative": _lp("data column", "Includes tentative"),
    "revoked_at": _lp("data column", "Stopped"), "purpose": _lp("data column", "Purpose"), "expires_at": _lp("data column", "Expires"), "used_at": _lp("data column", "Used"),
    "reminders": _lp("data column", "Reminders"), "digest": _lp("data column", "Weekly digest"), "languages": _lp("data column", "Languages"),
    "topic_id": _lp("data column", "Topic"), "object_id": _lp("data column", "Object"), "offset_days": _lp("data column", "Days before"),
    "outbox_message_id": _lp("data column", "Mail"), "title": _lp("data column", "Title"), "plan_id": _lp("data column", "Action plan"),
    "description": _lp("data column", "Description"), "notes": _lp("data column", "Notes"), "status_changed_at": _lp("data column", "Status changed"),
    "occurred_at": _lp("data column", "When"), "action": _lp("data column", "Action"), "object_type": _lp("data column", "Object"),
    "ip_address": _lp("data column", "Address"), "details": _lp("data column", "Details"), "subject": _lp("data column", "Subject"), "sent_at": _lp("data column", "Sent"),
}

# The columns of the travel, letters, calls, devices and evaluation tables, and the keys of an audit event's
# details (a change "from" one value "to" another), so that no heading falls back to a column's English name.
COLUMN_LABELS |= {
    "answers": _lp("data column", "Answers"), "arrival_at": _lp("data column", "Arrival"),
    "arrival_mode": _lp("data column", "Arrival by"), "arrival_place": _lp("data column", "Arrival place"),
    "arrival_reference": _lp("data column", "Arrival reference"), "birth_date": _lp("data column", "Date of birth"),
    "call_id": _lp("data column", "Call"), "check_in_on": _lp("data column", "Check-in"),
    "check_out_on": _lp("data column", "Check-out"), "choices": _lp("data column", "Choices"),
    "confirmed_at": _lp("data column", "Confirmed"), "decided_at": _lp("data column", "Decided"),
    "decided_by_id": _lp("data column", "Decided by"), "decision_reason": _lp("data column", "Reason for the decision"),
    "departure_at": _lp("data column", "Departure"), "departure_mode": _lp("data column", "Departure by"),
    "departure_place": _lp("data column", "Departure place"),
    "departure_reference": _lp("data column", "Departure reference"),
    "dietary_needs": _lp("data column", "Dietary needs"), "ends_on": _lp("data column", "Ends on"),
    "entered_at": _lp("data column", "Entered"), "funder_name": _lp("data column", "Funder"),
    "holder_position": _lp("data column", "Holder's position"), "hotel_address": _lp("data column", "Hotel address"),
    "hotel_name": _lp("data column", "Hotel"), "indicator_id": _lp("data column", "Indicator"),
    "invited": _lp("data column", "Invited"), "issued_by_id": _lp("data column", "Issued by"),
    "label": _lp("data column", "Device"), "language": _lp("data column", "Language"),
    "last_used_at": _lp("data column", "Last used"), "last_used_step": _lp("data column", "Last code used"),
    "learning_test_id": _lp("data column", "Learning test"), "parliament_name": _lp("data column", "Parliament"),
    "passport_country": _lp("data column", "Passport country"),
    "passport_expires_on": _lp("data column", "Passport expires on"),
    "passport_number": _lp("data column", "Passport number"), "per_diem_amount": _lp("data column", "Per diem"),
    "per_diem_currency": _lp("data column", "Per diem currency"), "per_diem_days": _lp("data column", "Per diem days"),
    "phase": _lp("data column", "Phase"), "place": _lp("data column", "Place"),
    "proposed_by_id": _lp("data column", "Proposed by"), "rating": _lp("data column", "Rating"),
    "reminded": _lp("data column", "Reminded"), "response_id": _lp("data column", "Response"),
    "sensitive_purged_at": _lp("data column", "Sensitive details deleted"),
    "signed_in_until": _lp("data column", "Signed in until"), "starts_on": _lp("data column", "Starts on"),
    "stay_paid_by": _lp("data column", "Stay paid by"), "submitted_on": _lp("data column", "Submitted on"),
    "superseded_at": _lp("data column", "Replaced"), "taken_at": _lp("data column", "Taken"),
    "text": _lp("data column", "Text"), "travel_paid_by": _lp("data column", "Travel paid by"),
    "trusted_until": _lp("data column", "Trusted until"), "updated_by_id": _lp("data column", "Updated by"),
    "value": _lp("data column", "Value"), "visa_needed": _lp("data column", "Visa needed"),
    "outcome": _lp("data column", "Outcome"), "scanned_at": _lp("data column", "Scanned"),
    "received_at": _lp("data column", "Received"),
    "accessibility_needs": _lp("data column", "Accessibility needs"),
    "activity_questionnaire_id": _lp("data column", "Questionnaire"), "activity_title": _lp("data column", "Activity"),
    "agenda_item_id": _lp("data column", "Agenda item"), "answered": _lp("data column", "Answered"),
    "from": _lp("data column", "Before"), "to": _lp("data column", "After"),
}

# The expert roster's, missions' and documents' columns.
COLUMN_LABELS |= {
    "active": _lp("data column", "Offered in searches"), "added_at": _lp("data column", "Added"),
    "added_by_id": _lp("data column", "Added by"), "agreed_at": _lp("data column", "Agreed"),
    "changed_at": _lp("data column", "Changed"), "converted_at": _lp("data column", "Acted upon"),
    "keywords": _lp("data column", "Keywords"), "level": _lp("data column", "Level"),
    "profile_id": _lp("data column", "Expert profile"), "report_id": _lp("data column", "Mission report"),
    "summary": _lp("data column", "Summary"), "terms_id": _lp("data column", "Terms of reference"),
    "travel_note": _lp("data column", "Travel note"), "uploaded_at": _lp("data column", "Uploaded"),
    "validated_at": _lp("data column", "Validated"), "version": _lp("data column", "Version"),
    "willing_to_travel": _lp("data column", "Willing to travel"),
}

# The shadowing placements' columns.
COLUMN_LABELS |= {
    "tutor_id": _lp("data column", "Host tutor"), "host_parliament_id": _lp("data column", "Host parliament"),
    "service": _lp("data column", "Host service"), "objectives": _lp("data column", "Objectives"),
    "programme_id": _lp("data column", "Programme"), "created_by_id": _lp("data column", "Created by"),
    "placement_id": _lp("data column", "Placement"), "day": _lp("data column", "Day"),
    "part": _lp("data column", "Part of the day"), "what": _lp("data column", "What"),
    "with_whom": _lp("data column", "With whom"), "author_id": _lp("data column", "Author"),
    "what_was_done": _lp("data column", "What was done and learnt"),
    "follow_up": _lp("data column", "Follow-up and recommendations"),
}

# The alumni directory's columns.
COLUMN_LABELS |= {
    "listed": _lp("data column", "Listed in the alumni directory"), "bio": _lp("data column", "Short biography"),
    "show_parliament": _lp("data column", "Shows the parliament"), "show_position": _lp("data column", "Shows the position"),
    "show_topics": _lp("data column", "Shows topics of interest"),
    "show_activities": _lp("data column", "Shows activities taken part in"),
    "show_bio": _lp("data column", "Shows the biography"), "show_email": _lp("data column", "Shows the email address"),
    "entry_id": _lp("data column", "Alumni directory entry"),
}

# The mentoring pairs' columns (pair, objectives, log, reviews), then the meetings'.
COLUMN_LABELS |= {
    "pair_id": _lp("data column", "Mentoring pair"), "mentor_id": _lp("data column", "Mentor"),
    "mentee_id": _lp("data column", "Mentee"), "trainer_id": _lp("data column", "Trainer"),
    "requested_by_id": _lp("data column", "Proposed or requested by"), "programme_id": _lp("data column", "Programme"),
    "frequency": _lp("data column", "Meeting frequency"), "mentor_accepted_at": _lp("data column", "Mentor accepted"),
    "mentee_accepted_at": _lp("data column", "Mentee accepted"), "ended_at": _lp("data column", "Ended"),
    "author_id": _lp("data column", "Written by"), "body": _lp("data column", "Text"),
    "meeting_id": _lp("data column", "Meeting"), "what_worked": _lp("data column", "What worked"),
    "what_to_change": _lp("data column", "What should change"),
}
COLUMN_LABELS |= {
    "starts_at": _lp("data column", "Starts"), "ends_at": _lp("data column", "Ends"),
    "online_url": _lp("data column", "Online link"), "agenda": _lp("data column", "Agenda"),
    "sequence": _lp("data column", "Revision"), "scheduled_by_id": _lp("data column", "Scheduled by"),
}

# The API tokens', webhook subscriptions' and their deliveries' columns.
COLUMN_LABELS |= {
    "name": _lp("data column", "Name"), "prefix": _lp("data column", "Token begins with"),
    "scopes": _lp("data column", "Scopes"), "owner_id": _lp("data column", "Owner"),
    "url": _lp("data column", "Web address"), "events": _lp("data column", "Events"),
    "subscription_id": _lp("data column", "Webhook subscription"), "event": _lp("data column", "Event"),
    "event_id": _lp("data column", "Message id"), "payload": _lp("data column", "Content sent"),
    "attempts": _lp("data column", "Attempts"), "next_attempt_at": _lp("data column", "Next attempt"),
    "claimed_by": _lp("data column", "Being sent by"), "claimed_at": _lp("data column", "Being sent since"),
    "last_status_code": _lp("data column", "Last answer"), "last_error": _lp("data column", "Last error"),
    "delivered_at": _lp("data column", "Delivered"),
}

# Remote assistance's columns.
COLUMN_LABELS |= {
    "asked_at": _lp("data column", "Asked"), "asker_id": _lp("data column", "Asked by"),
    "assigned_at": _lp("data column", "Assigned"), "assigned_by_id": _lp("data column", "Assigned by"),
    "answered_at": _lp("data column", "First answered"), "closed_at": _lp("data column", "Closed"),
    "due_at": _lp("data column", "Answer due"), "expert_id": _lp("data column", "Expert"),
    "urgency": _lp("data column", "Urgency"), "side": _lp("data column", "Written as"),
    "resource_id": _lp("data column", "Library resource"), "published_at": _lp("data column", "Published"),
    "message_id": _lp("data column", "Reply"),
    "original_name": _lp("data column", "File name"), "content_type": _lp("data column", "File type"),
    "size": _lp("data column", "Size in bytes"), "sha256": _lp("data column", "Fingerprint (SHA-256)"),
    "uploaded_by_id": _lp("data column", "Sent by"), "author_id": _lp("data column", "Written by"),
    "body": _lp("data column", "Text"),
}

# The column that names a row of a table that people's rows refer to (a dict is one text per language).
ROW_NAMES = {"activity": "title", "programme": "title", "course": "title", "lesson": "title",
             "quiz_question": "prompt", "parliament": "name_en", "topic": "name_en", "needs_request": "title",
             "outbox_message": "subject", "activity_session": "starts_at", "action_plan": "summary"}


# The page shows the latest rows of a long section (an administrator's audit trail can run to thousands);
# the JSON download always holds them all.
PAGE_ROWS = 200


@dataclass(frozen=True)
class Table:
    key: str
    label: str
    headings: list[str]
    rows: list[list[str]]
    total: int


def heading(column: str) -> str:
    label = COLUMN_LABELS.get(column)
    if label is not None:
        return str(label)
    return column.removesuffix("_id").replace("_", " ").capitalize()


def _in_locale(texts: dict) -> str:
    locale = str(get_locale())
    return str(texts.get(locale) or texts.get("en") or next(iter(texts.values()), ""))


def value_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return format_date(value, "medium")
    if isinstance(value, LabelledEnum):
        return str(value.label)
    if isinstance(value, dict):
        if value and all(len(str(key)) <= 3 for key in value):  # one text per language
            return _in_locale(value)
        return "; ".join(f"{heading(key)}: {value_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    return str(value)


def _foreign_targets(table_name: str) -> dict[str, str]:
    """column -> referred table, for the columns of `table_name` that are foreign keys."""
    table = db.metadata.tables.get(table_name)
    if table is None:
        return {}
    return {key.parent.name: key.column.table.name for key in table.foreign_keys}


def _row_names(wanted: dict[str, set]) -> dict[tuple[str, object], str]:
    """(table, id) -> the name of that row, one query per table."""
    names = {}
    for table_name, ids in wanted.items():
        column_name = ROW_NAMES.get(table_name)
        table = db.metadata.tables[table_name]
        if column_name is None or "id" not in table.c or not ids:
            continue
        for row_id, name in db.session.execute(select(table.c.id, table.c[column_name])
                                               .where(table.c.id.in_(sorted(ids)))):
            names[(table_name, row_id)] = value_text(name)
    return names


def tables(data: PersonalData, subject: str) -> list[Table]:
    """The account and every section, ready for the page: headings, and values as text in the reader's language.

    `subject` is how the person is named where a row refers to them ("you", or their name for an administrator).
    """
    blocks = [("person", "account", pgettext("personal data", "Your account"), [data.account], "")]
    # The column a section was found through, when it refers to the person, says only "you": the page leaves it out.
    blocks += [(section.table, section.key, section.label, section.rows, section.column) for section in data.sections]
    wanted: dict[str, set] = defaultdict(set)
    for table_name, _key, _label, rows, _via in blocks:
        for column, target in _foreign_targets(table_name).items():
            wanted[target] |= {row[column] for row in rows[-PAGE_ROWS:] if row.get(column) is not None}
    names = _row_names(wanted)

    def shown(table_name: str, column: str, value) -> str:
        target = _foreign_targets(table_name).get(column)
        if target == "person" and value is not None:
            return subject if value == data.person_id else _("another person")
        if target is not None and (target, value) in names:
            return names[(target, value)]
        return value_text(value)

    result = []
    for table_name, key, label, rows, via in blocks:
        about_person = _foreign_targets(table_name).get(via) == "person"
        columns = [column for column in (rows[0] if rows else []) if not (about_person and column == via)]
        result.append(Table(key=key.replace(".", "-"), label=label, headings=[heading(c) for c in columns],
                            rows=[[shown(table_name, c, row[c]) for c in columns] for row in rows[-PAGE_ROWS:]],
                            total=len(rows)))
    return result
