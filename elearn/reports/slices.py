"""The four slices of every report (parliament, kind, gender, political side), for attendance and completions."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from elearn.people.models import Gender, Parliament, PersonKind, PoliticalSide
from elearn.reports.figures import Breakdown, group
from elearn.reports.suppression import HIDDEN, suppress


def kind_rows() -> list[tuple[str, str]]:
    return [(PersonKind.MP.value, _("Members of parliament")), (PersonKind.STAFF.value, _("Parliamentary staff")),
            (PersonKind.OFFICER.value, _("Cooperation officers")), (PersonKind.EXPERT.value, _("External experts"))]


def gender_rows() -> list[tuple[str, str]]:
    return [(Gender.WOMAN.value, _("Women")), (Gender.MAN.value, _("Men")), (Gender.ANOTHER.value, _("Another gender")),
            (Gender.PREFER_NOT_TO_SAY.value, _("Preferred not to say")), ("not_stated", _("Not stated"))]


def side_rows() -> list[tuple[str, str]]:
    return [(PoliticalSide.RULING.value, _("Ruling majority")), (PoliticalSide.OPPOSITION.value, _("Opposition")),
            (PoliticalSide.INDEPENDENT.value, _("Independent")),
            (PoliticalSide.NOT_STATED.value, _("Not stated or not recorded"))]


def gender_key(fact) -> str:
    return fact.gender.value if fact.gender else "not_stated"


def side_key(fact) -> str:
    return fact.side.value if fact.side else PoliticalSide.NOT_STATED.value


def _parliament_rows(facts, parliaments: dict[int, Parliament]) -> list[tuple[str, str]]:
    locale = str(get_locale())
    present = {fact.parliament_id for fact in facts}
    rows = sorted(((str(p.id), p.name(locale)) for p in parliaments.values() if p.id in present), key=lambda r: r[1])
    if None in present:
        rows.append(("none", _("No parliament")))
    return rows


def _parliament_key(fact) -> str:
    return str(fact.parliament_id) if fact.parliament_id else "none"


ATTENDANCE_MEASURES = ("participations", "people", "days", "hours")
COMPLETION_MEASURES = ("participations", "people")


def measure_headers(measures: tuple[str, ...], completions: bool = False) -> list[str]:
    names = {"participations": _("Completions") if completions else _("Participations"), "people": _("People"),
             "days": _("Participant-days"), "hours": _("Hours attended"), "activities": _("Activities")}
    return [names[m] for m in measures]


def slices(facts, parliaments, minimum: int, *, completions: bool = False) -> list[Breakdown]:
    """The same four slices for attendance and for course completions."""
    measures = COMPLETION_MEASURES if completions else ATTENDANCE_MEASURES
    suffix = "-completions" if completions else ""

    def title(text: str) -> str:
        return _("E-learning completions: %(slice)s", slice=text) if completions else text

    def sheet(text: str) -> str:
        return _("Courses - %(slice)s", slice=text) if completions else text

    mps = [fact for fact in facts if fact.kind == PersonKind.MP]
    kinds = [row for row in group(facts, lambda f: f.kind.value, kind_rows())
             if row.figures.participations or row.key in (PersonKind.MP, PersonKind.STAFF)]
    marks = {"small": f"<{minimum}", "n": minimum, "hidden": HIDDEN}
    side_note = (_("Members of parliament only, with the side in force on the day the course was completed. "
                   "%(small)s: fewer than %(n)d people; %(hidden)s: hidden as well, so that a small group "
                   "cannot be worked out from the totals.", **marks) if completions else
                 _("Members of parliament only, with the side in force on the date of the activity: a member "
                   "who changed side counts in each side they held. %(small)s: fewer than %(n)d people; "
                   "%(hidden)s: hidden as well, so that a small group cannot be worked out from the totals.",
                   **marks))
    return [
        Breakdown("parliament" + suffix, title(_("By parliament")), sheet(_("Parliaments")), _("Parliament"),
                  measures, group(facts, _parliament_key, _parliament_rows(facts, parliaments))),
        Breakdown("kind" + suffix, title(_("By kind of participant")), sheet(_("Kind")), _("Kind"), measures, kinds),
        Breakdown("gender" + suffix, title(_("By gender")), sheet(_("Gender")), _("Gender"), measures,
                  group(facts, gender_key, gender_rows()),
                  [_("Gender is self-declared and optional: “not stated” counts those who did not say.")]),
        Breakdown("side" + suffix, title(_("Members of parliament by political side")), sheet(_("Political side")),
                  _("Political side"), measures, suppress(group(mps, side_key, side_rows()), minimum), [side_note]),
    ]
