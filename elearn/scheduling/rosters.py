"""An activity's participants for the trainer's pages: the roster by state, the attendance and sign-in sheets,
the exports. Each page reads a fixed number of queries and one page of rows; the exports stream in batches.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Engine, Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from elearn.extensions import db
from elearn.people.models import Gender, Parliament, Person, PersonKind
from elearn.scheduling.activities import state_label
from elearn.scheduling.models import Activity, Attendance, AttendanceStatus, Registration, RegistrationState

EXPORT_BATCH = 500


def _with_people(statement: Select) -> Select:
    return statement.options(selectinload(Registration.person).selectinload(Person.parliament),
                             selectinload(Registration.nominated_by), selectinload(Registration.attendance))


def roster_statement(activity: Activity, args: Mapping[str, str]) -> Select:
    """The activity's registrations under the roster's filters, in the roster's order."""
    statement = _with_people(select(Registration).join(Person, Person.id == Registration.person_id)
                             .where(Registration.activity_id == activity.id))
    if args.get("state") in {s.value for s in RegistrationState}:
        statement = statement.where(Registration.state == RegistrationState(args["state"]))
    if str(args.get("parliament", "")).isdigit():
        statement = statement.where(Person.parliament_id == int(args["parliament"]))
    if args.get("gender") == "not_stated":
        statement = statement.where(Person.gender.is_(None))
    elif args.get("gender") in {g.value for g in Gender}:
        statement = statement.where(Person.gender == Gender(args["gender"]))
    if args.get("kind") in {k.value for k in PersonKind}:
        statement = statement.where(Person.kind == PersonKind(args["kind"]))
    return statement.order_by(Registration.state, Registration.waitlist_position, Person.full_name, Registration.id)


def state_counts(activity: Activity) -> dict[str, int]:
    """How many registrations the activity has in each state (the roster's tabs), in one query."""
    rows = db.session.execute(select(Registration.state, func.count(Registration.id))
                              .where(Registration.activity_id == activity.id).group_by(Registration.state))
    return {RegistrationState(state).value: count for state, count in rows}


def registered_parliaments(activity: Activity) -> list[Parliament]:
    """The parliaments of the people registered (the roster's filter), in two short queries.

    The ids first: as a subquery of `parliament`, PostgreSQL probed every parliament's members against the
    registrations (a third of a second at 8,000 registrations); and rows of parliament cannot be DISTINCT
    (PostgreSQL cannot compare their JSON column).
    """
    ids = db.session.scalars(select(Person.parliament_id).distinct()
                             .join(Registration, Registration.person_id == Person.id)
                             .where(Registration.activity_id == activity.id, Person.parliament_id.is_not(None))).all()
    return db.session.scalars(select(Parliament).where(Parliament.id.in_(ids))).all() if ids else []


def confirmed_statement(activity: Activity) -> Select:
    """The confirmed participants, by name: the attendance and sign-in sheets."""
    return (select(Registration).join(Person, Person.id == Registration.person_id)
            .where(Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED)
            .options(selectinload(Registration.person).selectinload(Person.parliament),
                     selectinload(Registration.attendance))
            .order_by(Person.full_name, Registration.id))


EXPORT_WIDTHS = (30, 34, 34, 24, 16, 20, 18, 16)


@dataclass(frozen=True)
class ExportWords:
    """What an export says, in the reader's language, taken while the request is there: the rows are
    written later, as the response streams, when no request (nor its language) is left."""

    header: tuple[str, ...]
    locale: str
    states: dict[str, str]
    kinds: dict[str, str]
    genders: dict[str, str]
    not_stated: str


def export_words() -> ExportWords:
    return ExportWords(
        header=(_("Name"), _("Email"), _("Parliament"), _("Kind"), _("Gender"), _("State"),
                _("Sessions attended"), _("Hours attended")),
        locale=str(get_locale()), states={s.value: state_label(s) for s in RegistrationState},
        kinds={k.value: str(k.label) for k in PersonKind}, genders={g.value: str(g.label) for g in Gender},
        not_stated=_("Not stated"))


def export_rows(engine: Engine, activity_id: int, words: ExportWords,
                number: Callable = lambda value: value) -> Iterator[list]:
    """The roster as rows, in two queries streamed `EXPORT_BATCH` rows at a time on a connection of its own
    (a streamed response runs this after the request's session has closed); `number` writes figures as the
    reader writes them (CSV) or leaves them numbers (XLSX). Sessions attended and hours are added up in SQL:
    each session's hours (a Python rule: all-day sessions count seven hours a day) become a CASE."""
    with Session(engine) as session:
        activity = session.get(Activity, activity_id)
        hours = {s.id: s.hours for s in activity.sessions}
        presence = (select(Attendance.registration_id, func.count(Attendance.id).label("attended"),
                           func.sum(case(hours, value=Attendance.session_id, else_=0.0) if hours else 0.0)
                           .label("hours"))
                    .where(Attendance.status == AttendanceStatus.PRESENT, Attendance.session_id.in_(list(hours)))
                    .group_by(Attendance.registration_id).subquery())
        statement = (select(Person.full_name, Person.email, Parliament.name_column(words.locale), Person.kind,
                            Person.gender, Registration.state, presence.c.attended, presence.c.hours)
                     .select_from(Registration).join(Person, Person.id == Registration.person_id)
                     .outerjoin(Parliament, Parliament.id == Person.parliament_id)
                     .outerjoin(presence, presence.c.registration_id == Registration.id)
                     .where(Registration.activity_id == activity_id)
                     .order_by(Registration.state, Registration.waitlist_position, Person.full_name, Registration.id)
                     .execution_options(yield_per=EXPORT_BATCH))
        for name, email, parliament, kind, gender, state, attended, total in session.execute(statement):
            yield [name, email, parliament or "", words.kinds[kind.value],
                   words.genders[gender.value] if gender else words.not_stated, words.states[state.value],
                   number(attended or 0), number(round(float(total or 0), 2))]
