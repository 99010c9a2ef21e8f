"""The "Your data" page: each section of people.personal_data as a table with readable headings and values."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.i18n import moment
from elearn.people.personal_data import PersonalData

COLUMN_LABELS = {
    "id": _l("Number"), "email": _l("Email"), "full_name": _l("Name"), "parliament_id": _l("Parliament"),
    "kind": _l("Kind"), "position": _l("Position"), "preferred_language": _l("Language"),
    "timezone": _l("Time zone"), "gender": _l("Gender"), "political_side": _l("Political side"),
    "side": _l("Political side"), "term_started_on": _l("Term started on"), "role": _l("Role"),
    "is_active": _l("Active"), "created_at": _l("Created"), "last_login_at": _l("Last signed in"),
    "erased_at": _l("Erased"), "activity_id": _l("Activity"), "person_id": _l("Person"),
    "state": _l("State"), "status": _l("Status"), "waitlist_position": _l("Place on the waiting list"),
    "nominated_by_id": _l("Nominated by"), "trainer_message": _l("Message from the trainer"),
    "updated_at": _l("Updated"), "registration_id": _l("Registration"), "session_id": _l("Session"),
    "recorded_at": _l("Recorded"), "course_id": _l("Course"), "enrolled_by_id": _l("Enrolled by"),
    "enrolled_at": _l("Enrolled"), "best_score": _l("Best score"), "quiz_passed_at": _l("Quiz passed"),
    "completed_at": _l("Completed"), "enrolment_id": _l("Course enrolment"), "lesson_id": _l("Lesson"),
    "quiz_id": _l("Quiz"), "submitted_at": _l("Submitted"), "correct": _l("Right answers"),
    "total": _l("Questions"), "score": _l("Score"), "passed": _l("Passed"), "attempt_id": _l("Attempt"),
    "question_id": _l("Question"), "chosen": _l("Chosen"), "is_correct": _l("Right"),
    "code": _l("Verification code"), "holder_name": _l("Holder"), "course_title": _l("Course"),
    "course_version": _l("Course version"), "issued_at": _l("Issued"), "effective_from": _l("In force from"),
    "recorded_by_id": _l("Recorded by"), "note": _l("Note"), "include_tentative": _l("Includes tentative"),
    "revoked_at": _l("Stopped"), "purpose": _l("Purpose"), "expires_at": _l("Expires"), "used_at": _l("Used"),
    "reminders": _l("Reminders"), "digest": _l("Weekly digest"), "languages": _l("Languages"),
    "topic_id": _l("Topic"), "object_id": _l("Object"), "offset_days": _l("Days before"),
    "outbox_message_id": _l("Mail"), "title": _l("Title"), "plan_id": _l("Action plan"),
    "description": _l("Description"), "notes": _l("Notes"), "status_changed_at": _l("Status changed"),
    "occurred_at": _l("When"), "action": _l("Action"), "object_type": _l("Object"),
    "ip_address": _l("Address"), "details": _l("Details"), "subject": _l("Subject"), "sent_at": _l("Sent"),
}

# The column that names a row of a table that people's rows refer to (a dict is one text per language).
ROW_NAMES = {"activity": "title", "programme": "title", "course": "title", "lesson": "title",
             "quiz_question": "prompt", "parliament": "name_en", "topic": "name_en", "needs_request": "title",
             "outbox_message": "subject", "activity_session": "starts_at", "action_plan": "summary"}


@dataclass(frozen=True)
class Table:
    key: str
    label: str
    headings: list[str]
    rows: list[list[str]]


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
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
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


def tables(data: PersonalData) -> list[Table]:
    """The account and every section, ready for the page: headings, and values as text in the reader's language."""
    blocks = [("person", "account", _("Your account"), [data.account])]
    blocks += [(section.table, section.key, section.label, section.rows) for section in data.sections]
    wanted: dict[str, set] = defaultdict(set)
    for table_name, _key, _label, rows in blocks:
        for column, target in _foreign_targets(table_name).items():
            wanted[target] |= {row[column] for row in rows if row.get(column) is not None}
    names = _row_names(wanted)

    def shown(table_name: str, column: str, value) -> str:
        target = _foreign_targets(table_name).get(column)
        if target == "person" and value is not None:
            return _("you") if value == data.person_id else _("another person")
        if target is not None and (target, value) in names:
            return names[(target, value)]
        return value_text(value)

    result = []
    for table_name, key, label, rows in blocks:
        columns = list(rows[0]) if rows else []
        result.append(Table(key=key.replace(".", "-"), label=label, headings=[heading(c) for c in columns],
                            rows=[[shown(table_name, c, row[c]) for c in columns] for row in rows]))
    return result
