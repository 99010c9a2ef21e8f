"""The four slices of every report (parliament, kind, gender, political side), for attendance and completions."""
from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from elearn.people.models import Gender, Parliament, PersonKind, PoliticalSide
from elearn.reports.aggregates import NO_KEY, Tallies
from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, Row, Tally
from elearn.reports.protection import FEW, HIDDEN, PROTECTED_MEASURES, SEPARATOR, SideRules, protect


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


def _rows(tallies: dict[str, Tally], labels: list[tuple[str, str]], aliases: dict[str, str] | None = None) -> list[Row]:
    """Rows in the order of `labels` (empty ones stay), from the tallies of one slice."""
    aliases = aliases or {}
    figures = {aliases.get(key, key): tally for key, tally in tallies.items()}
    return [Row(key, label, figures.get(key, Tally())) for key, label in labels]


def _parliament_labels(tallies: dict[str, Tally], parliaments: dict[int, Parliament]) -> list[tuple[str, str]]:
    locale = str(get_locale())
    rows = sorted(((str(p.id), p.name(locale)) for p in parliaments.values() if str(p.id) in tallies),
                  key=lambda r: r[1])
    if NO_KEY in tallies:
        rows.append((NO_KEY, _("No parliament")))
    return rows


ATTENDANCE_MEASURES = ("participations", "people", "days", "hours")
COMPLETION_MEASURES = ("participations", "people")


def measure_headers(measures: tuple[str, ...], completions: bool = False) -> list[str]:
    names = {"participations": _("Completions") if completions else _("Participations"), "people": _("People"),
             "days": _("Participant-days"), "hours": _("Hours attended"), "activities": _("Activities")}
    return [names[m] for m in measures]


def side_blocks(tallies: Tallies, rules: SideRules) -> tuple[dict[str, dict[str, Tally]], dict[str, int]]:
    """Each block's sides and number of members (the whole report as one block when rules.blocks is off)."""
    if not rules.blocks:
        members = tallies.get("kind", {}).get(PersonKind.MP.value, Tally()).people
        return {"all": tallies.get("side", {})}, {"all": members}
    blocks: dict[str, dict[str, Tally]] = {}
    for key, tally in tallies.get("side_block", {}).items():
        block, side = key.rsplit(SEPARATOR, 1)
        blocks.setdefault(block, {})[side] = tally
    return blocks, {block: tally.people for block, tally in tallies.get("members_block", {}).items()}


def slices(tallies: Tallies, parliaments, filters: ReportFilters, rules: SideRules, today: date, *,
           completions: bool = False) -> list[Breakdown]:
    """The same four slices for attendance and for course completions; the side slice protected."""
    measures = COMPLETION_MEASURES if completions else ATTENDANCE_MEASURES
    suffix = "-completions" if completions else ""

    def title(text: str) -> str:
        return _("E-learning completions: %(slice)s", slice=text) if completions else text

    def sheet(text: str) -> str:
        return _("Courses - %(slice)s", slice=text) if completions else text

    by_parliament = tallies.get("parliament", {})
    kinds = [row for row in _rows(tallies.get("kind", {}), kind_rows())
             if row.figures.participations or row.key in (PersonKind.MP, PersonKind.STAFF)]
    side = Breakdown("side" + suffix, title(_("Members of parliament by political side")), sheet(_("Political side")),
                     _("Political side"), PROTECTED_MEASURES if rules.blocks else measures,
                     _rows(tallies.get("side", {}), side_rows()),
                     [side_note(completions, rules)])
    side = protect(side, filters, *side_blocks(tallies, rules), today, rules)
    if side.withheld:
        side.notes.insert(0, withheld_note(side.withheld, rules))
    return [
        Breakdown("parliament" + suffix, title(_("By parliament")), sheet(_("Parliaments")), _("Parliament"),
                  measures, _rows(by_parliament, _parliament_labels(by_parliament, parliaments))),
        Breakdown("kind" + suffix, title(_("By kind of participant")), sheet(_("Kind")), _("Kind"), measures, kinds),
        Breakdown("gender" + suffix, title(_("By gender")), sheet(_("Gender")), _("Gender"), measures,
                  _rows(tallies.get("gender", {}), gender_rows(), {NO_KEY: "not_stated"}),
                  [_("Gender is self-declared and optional: “not stated” counts those who did not say.")]),
        side,
    ]


def side_note(completions: bool, rules: SideRules) -> str:
    marks = {"hidden": HIDDEN, "n": rules.min_cell, "base": rules.rounding, "members": rules.min_people,
             "days": rules.delay_days}
    when = (_("Members of parliament only, with the side in force on the day the course was completed.")
            if completions else
            _("Members of parliament only, with the side in force on the date of the activity: a member who "
              "changed side counts in each side they held."))
    return when + " " + _(
        "Sides are counted as people, for each programme and calendar quarter of %(members)d members of "
        "parliament or more, %(days)d days after the quarter ends, with a little noise added and rounded to a "
        "multiple of %(base)d; %(hidden)s: fewer than %(n)d people or none, or hidden as well so that a small "
        "group cannot be worked out from the totals. The figures here add up those quarters, so they may "
        "differ from the other tables.", **marks)


def withheld_note(reason: str, rules: SideRules) -> str:
    if reason == FEW:
        return _("Political sides are not shown: no programme and calendar quarter in this report counts "
                 "%(n)d members of parliament or more, or none ended %(days)d days ago.",
                 n=rules.min_people, days=rules.delay_days)
    return _("Political sides are not shown for one parliament, modality or topic: such a report could "
             "tell one member's side.")
