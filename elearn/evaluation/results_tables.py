"""Results as plain tables (title, header, rows), exactly as the page, the CSV and the spreadsheet show them.

Small cells are suppressed here, once, so that no output can show more than another:

- no figure at all while the results cover fewer than REPORT_MIN_CELL responses;
- in a breakdown, a row of fewer than REPORT_MIN_CELL respondents is hidden, and more rows
  (the smallest first) until the hidden rows are at least two and hold REPORT_MIN_CELL
  respondents together: the total minus the rows shown then gives only a group's figure,
  never one person's;
- each average column is judged again on its own counts (a question not everyone answered);
- political side only for a fixed block (one programme, one whole calendar quarter that ended
  more than REPORT_SIDE_DELAY_DAYS ago, no other filter) of REPORT_SIDE_MIN_PEOPLE members or
  more, counts rounded to REPORT_SIDE_ROUNDING: see docs/evaluation/results.md.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.evaluation.models import QuestionKind
from elearn.evaluation.results import ResultFilters, Results
from elearn.extensions import db
from elearn.learning.models import localised
from elearn.people.models import Gender, Parliament, PersonKind, PoliticalSide
from elearn.reports.protection import quarter_span, rounded
from elearn.reports.tables import Table

HIDDEN = "*"
MEASURED = ("parliament", "gender", "kind", "side")


def hide(counts: dict[str, int], minimum: int, already: set[str] = frozenset()) -> set[str]:
    """Keys to hide: those under `minimum`, then the smallest others until the hidden ones are at least
    two and hold `minimum` together (or everything is hidden)."""
    hidden = set(already) | {key for key, count in counts.items() if 0 < count < minimum}
    while hidden and (len(hidden) == 1 or sum(counts.get(key, 0) for key in hidden) < minimum):
        others = sorted((key for key in counts if key not in hidden), key=lambda key: (counts[key], key))
        if not others:
            break
        hidden.add(others[0])
    return hidden


def side_block(filters: ResultFilters, today: date, delay_days: int) -> bool:
    """Whether the filters select exactly one published block: a programme in one whole past quarter."""
    if not (filters.programme_id and filters.date_from and filters.date_to) or filters.modality \
            or filters.questionnaire_id or filters.activity_id:
        return False
    first = filters.date_from
    if first.day != 1 or first.month % 3 != 1:
        return False
    start, last = quarter_span(first.year, (first.month - 1) // 3 + 1)
    return filters.date_to == last and last + timedelta(days=delay_days) < today


def percent(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else "—"


def _mean(stat, digits: int):
    return "—" if stat is None or stat.mean is None else round(stat.mean, digits)


def rate_table(results: Results) -> Table:
    rows = [[a.title, a.starts_at.date().isoformat() if a.starts_at else "", a.responses, a.invited,
             percent(a.responses, a.invited), a.attended, percent(a.responses, a.attended)]
            for a in results.activities]
    if len(rows) > 1:
        rows.append([_("All activities"), "", results.responses, results.invited,
                     percent(results.responses, results.invited), results.attended,
                     percent(results.responses, results.attended)])
    return Table("rates", _("Response rates"), _("Response rates"),
                 [_("Activity"), _("First day"), _("Responses"), _("Invited"), _("Share of invited (%)"),
                  _("Attended"), _("Share of attended (%)")], rows)


def question_tables(results: Results, locale: str) -> list[Table]:
    tables = []
    for number, result in enumerate(results.questions, start=1):
        question = result.question
        title = f"{number}. {question.prompt_in(locale)}"
        if question.kind == QuestionKind.TEXT:
            continue
        if question.kind == QuestionKind.SESSION_RATING:
            rows = [[_session_label(results.sessions.get(sid)), stat.count, _mean(stat, 2)]
                    for sid, stat in sorted(result.sessions.items(), key=lambda item: _session_order(results, item))]
            tables.append(Table(f"sess-{question.id}", title, _("Question %(n)s", n=number),
                                [_("Session"), _("Ratings"), _("Average")], rows))
            continue
        rows = [[label, count, percent(count, result.answered)] for label, count in _points(result, locale)]
        notes = []
        if question.kind == QuestionKind.RATING:
            notes.append(_("Average %(mean)s out of %(points)s, from %(count)s ratings.",
                           mean=_mean(result.rating, 2), points=question.scale_points, count=result.rating.count))
        elif question.kind == QuestionKind.MULTIPLE:
            notes.append(_("Several options could be chosen: the shares add up to more than 100."))
        tables.append(Table(f"dist-{question.id}", title, _("Question %(n)s", n=number),
                            [_("Answer"), _("Answers"), _("Share of those who answered (%)")], rows, notes))
    return tables


def _points(result, locale: str) -> list[tuple[str, int]]:
    """Every point of the scale or every option, with its answers (zero included)."""
    question = result.question
    if question.kind == QuestionKind.RATING:
        labels = localised({k: "\u0001".join(v) for k, v in (question.scale_labels or {}).items()},
                           locale, ("en",)).split("\u0001")
        return [(f"{point}" + (f" – {labels[point - 1]}" if point - 1 < len(labels) and labels[point - 1] else ""),
                 result.distribution.get(point, 0)) for point in range(1, (question.scale_points or 0) + 1)]
    return [(localised(option.get("label"), locale, ("en",)) or option.get("key"),
             result.distribution.get(option.get("key"), 0)) for option in question.options or []]


def _session_label(session) -> str:
    if session is None:
        return _("A session since removed")
    activity, title, starts = session
    return f"{activity} – {title or starts.date().isoformat()}"


def _session_order(results: Results, item):
    session = results.sessions.get(item[0])
    return (session[2].isoformat() if session else "", item[0])


def _labels(dimension: str, keys, locale: str) -> dict[str, str]:
    not_recorded = _("Not recorded")
    if dimension == "parliament":
        ids = [int(key) for key in keys if key]
        names = {str(p.id): p.name(locale) for p in db.session.scalars(
            select(Parliament).where(Parliament.id.in_(ids)))} if ids else {}
        return {key: names.get(key, not_recorded) for key in keys}
    enum = {"gender": Gender, "kind": PersonKind, "side": PoliticalSide}[dimension]
    return {key: str(enum(key).label) if key else not_recorded for key in keys}


def breakdown_table(results: Results, dimension: str, locale: str, config, today: date) -> Table:
    titles = {"parliament": _("By parliament"), "gender": _("By gender"), "kind": _("By kind of participant"),
              "side": _("Members of parliament by political side")}
    rating = [r for r in results.questions if r.question.kind == QuestionKind.RATING]
    header = [titles[dimension], _("Respondents"), _("Satisfaction (0–100)")] + \
             [_("Average, question %(n)s", n=results.questions.index(r) + 1) for r in rating]
    table = Table(dimension, titles[dimension], titles[dimension], header, [])
    cells = results.breakdowns.get(dimension, {})
    minimum = config["REPORT_MIN_CELL"]
    if results.responses < minimum:
        return table
    rounding = 1
    if dimension == "side":
        members = sum(cell["respondents"] for cell in cells.values())
        if not side_block(results.filters, today, config["REPORT_SIDE_DELAY_DAYS"]):
            table.notes.append(_("Political side is shown only for one programme over one whole calendar quarter "
                                 "that ended over %(days)s days ago, with no other filter.",
                                 days=config["REPORT_SIDE_DELAY_DAYS"]))
            return table
        if members < config["REPORT_SIDE_MIN_PEOPLE"]:
            table.notes.append(_("Too few members of parliament answered to show political sides."))
            return table
        rounding = config["REPORT_SIDE_ROUNDING"]
    rows_hidden = hide({key: cell["respondents"] for key, cell in cells.items()}, minimum)
    columns = [("satisfaction", hide({k: c.get("satisfaction_people", 0) for k, c in cells.items()}, minimum,
                                     rows_hidden))]
    for result in rating:
        qid = result.question.id
        columns.append((qid, hide({k: c[qid].count if qid in c else 0 for k, c in cells.items()}, minimum,
                                  rows_hidden)))
    labels = _labels(dimension, cells, locale)
    for key in sorted(cells, key=lambda k: (k == "", labels[k].lower())):
        cell = cells[key]
        row = [labels[key], HIDDEN if key in rows_hidden else rounded(cell["respondents"], rounding)]
        for column, hidden in columns:
            digits = 1 if column == "satisfaction" else 2
            row.append(HIDDEN if key in hidden else _mean(cell.get(column), digits))
        table.rows.append(row)
    if any(HIDDEN in row for row in table.rows):
        table.notes.append(_("%(mark)s: hidden, fewer than %(n)s respondents (or hidden with such a cell so that "
                             "it cannot be worked out).", mark=HIDDEN, n=minimum))
    return table


def summary_table(results: Results, minimum: int) -> Table:
    enough = results.responses >= minimum
    rows = [[_("Activities"), len(results.activities)], [_("Responses"), results.responses],
            [_("Response rate, of those invited (%)"), percent(results.responses, results.invited)],
            [_("Response rate, of those who attended (%)"), percent(results.responses, results.attended)],
            [_("Satisfaction (0–100)"), _mean(results.satisfaction, 1) if enough else HIDDEN],
            [_("Ratings behind the satisfaction"), results.satisfaction.count if enough else HIDDEN]]
    notes = [] if enough else [_("Fewer than %(n)s responses: no figure from the answers is shown.", n=minimum)]
    return Table("summary", _("Summary"), _("Summary"), [_("Figure"), _("Value")], rows, notes)


def all_tables(results: Results, locale: str, config, today: date) -> list[Table]:
    """Every table of the results, in the order the page and the files show them."""
    minimum = config["REPORT_MIN_CELL"]
    tables = [summary_table(results, minimum), rate_table(results)]
    if results.responses >= minimum:
        tables += question_tables(results, locale)
    tables += [breakdown_table(results, d, locale, config, today) for d in MEASURED if d in results.breakdowns]
    return tables
