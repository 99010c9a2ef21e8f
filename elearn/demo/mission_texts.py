"""The demo missions' texts: descriptions, terms of reference, findings and recommendations.

Demonstration content: the situations are plausible, not a description of any real parliament's state.
"""
from __future__ import annotations

from datetime import date, timedelta

from elearn.missions.report_models import Priority

ASSESSMENT_DESCRIPTION = (
    "A five-day mission of the assisting parliaments to assess, with the Office of the Clerk, how the National "
    "Assembly's committees, library and budget scrutiny work, and what a three-year programme of support "
    "should contain.")

_ASSESSMENT_BODY_V1 = """\
## Background

The National Assembly asked for support to its committees after the Workshop on committee hearings. Before a
multi-year programme is proposed, a short mission will look at how the committees, the library and the
scrutiny of the budget work today.

## Method

- Interviews with the Clerk, the Deputy Clerks and the heads of the committee, library and finance units.
- Attendance at one sitting of the Finance and Public Accounts Committee.
- A review of a sample of committee reports of the last two sessions.

## Team

A head of mission from the committee department of an assisting parliament, one expert on parliamentary
libraries, and an English–French interpreter.
"""

_ASSESSMENT_BODY_V2 = _ASSESSMENT_BODY_V1.replace(
    "one expert on parliamentary\nlibraries, and an English–French interpreter.",
    "one expert on parliamentary\nlibraries, one expert on budget offices, and an English–French interpreter.",
) + """
## Added at the Assembly's request (version 2)

The Assembly asked that the mission also look at the budget analysis unit created in the Secretariat last
year: its staff, its access to the figures of the Ministry of Finance and what the Finance and Public
Accounts Committee expects of it.
"""


def assessment_terms(first: date, last: date) -> list[dict]:
    """Two versions: the second adds the budget office, at the Assembly's request, and moves the dates."""
    first_draft = dict(
        objectives="Assess how the committees and the library support members, and identify the priorities of "
                   "a medium-term programme of support.",
        expected_outputs="A mission report with findings and prioritised recommendations; a draft outline of a "
                         "three-year programme.",
        counterpart_institution="Office of the Clerk, National Assembly of The Gambia",
        counterpart_contacts="The Clerk of the National Assembly (head of the Secretariat)\n"
                             "The Deputy Clerk, Legislative Services\nThe Head of the Library and Research Unit",
        starts_on=first - timedelta(days=7), ends_on=last - timedelta(days=7),
        body_md=_ASSESSMENT_BODY_V1)
    second = dict(first_draft)
    second.update(
        objectives=first_draft["objectives"] + " Assess the budget analysis unit and the support it gives to the "
                                               "Finance and Public Accounts Committee.",
        expected_outputs=first_draft["expected_outputs"] + " A note on the staffing and mandate of a "
                                                           "parliamentary budget office.",
        counterpart_contacts=first_draft["counterpart_contacts"] + "\nThe Clerk to the Finance and Public "
                                                                   "Accounts Committee",
        starts_on=first, ends_on=last, body_md=_ASSESSMENT_BODY_V2)
    return [first_draft, second]


ASSESSMENT_FINDINGS = """\
## Committees

The Assembly's standing committees meet often, but six committee clerks serve all of them. Reports are
written by whoever is free; there is no template and no follow-up of recommendations once a report is
adopted. The Finance and Public Accounts Committee has a backlog of three years of audit reports.

## Library and research

The library holds about 6,000 volumes with no catalogue: staff find documents from memory. There is no
research staff; members ask the library for laws and gazettes, rarely for analysis. The reading room is used
as a meeting room during sittings.

## Budget scrutiny

The budget bill reaches the Assembly about three weeks before the vote. The budget analysis unit has two
analysts, recruited last year, who have no access to the execution figures of the Ministry of Finance and
no written mandate. The committee relies on the ministry's own presentation.

## What works

The Hansard is produced within a week, committee sittings are public, and the Secretariat's leadership is
committed to reform: the Clerk asked for a programme, not for one-off workshops.
"""

ASSESSMENT_RECOMMENDATIONS = [
    ("Adopt a three-year programme of support to the committees and to budget scrutiny, steered jointly by the "
     "Office of the Clerk and the assisting parliaments, with yearly reviews.", Priority.HIGH),
    ("Set up a research desk in the library: catalogue the collection, train two researchers to write short "
     "briefs for committees, and keep the reading room for reading during sittings.", Priority.HIGH),
    ("Give the budget analysis unit a written mandate from the Speaker and access to the monthly budget "
     "execution reports of the Ministry of Finance.", Priority.HIGH),
    ("Adopt a template for committee reports and a register that follows up each recommendation until the "
     "government answers.", Priority.MEDIUM),
    ("Clear the backlog of audit reports by holding joint hearings of the Finance and Public Accounts "
     "Committee with the Auditor General's office.", Priority.LOW),
]

ASSISTANCE_DESCRIPTION = (
    "Two experts of the assisting parliaments spend a week with the Hansard department to shorten the "
    "production of the verbatim record from a week to the day after a sitting.")

_ASSISTANCE_BODY = """\
## The problem

The verbatim record of plenary sittings is published about a week after each sitting. Reporters transcribe
whole sittings from the recording; there is no turn system, and the sound recording sometimes fails.

## What the experts will do

1. Observe two plenary sittings and the transcription of each.
2. Set up a turn system: each reporter takes ten-minute turns, revised by an editor.
3. Test a speech-to-text draft on one past sitting and measure the time saved.
4. Agree with the Clerk a timetable for a provisional record the next day and a final record within a week.

## Conditions

The Assembly provides a room with the recordings and the reporters' time during the week; the assisting
parliaments provide the experts and the speech-to-text trial licence.
"""


def assistance_terms(first: date, last: date) -> list[dict]:
    return [dict(
        objectives="Publish a provisional verbatim record the day after each plenary sitting.",
        expected_outputs="A turn system in use; a style guide for reporters; a measured trial of speech-to-text "
                         "drafts; a timetable agreed with the Clerk.",
        counterpart_institution="Hansard Department, National Assembly of The Gambia",
        counterpart_contacts="The Head of the Hansard Department\nThe Deputy Clerk, Legislative Services\n"
                             "The Head of ICT",
        starts_on=first, ends_on=last, body_md=_ASSISTANCE_BODY)]


ASSISTANCE_FINDINGS = """\
## First days (draft)

Eight reporters transcribe each sitting in full, one sitting each, which explains the week's delay. The turn
system was tried on Tuesday's sitting: the provisional record was ready at noon the next day.

The speech-to-text trial works on English speeches; interventions in Mandinka and Wolof still need a reporter.
"""

ASSISTANCE_RECOMMENDATIONS = [
    ("Keep ten-minute turns for every plenary sitting and name a duty editor for each.", Priority.HIGH),
    ("Back up the sound recording on a second recorder until the hall's system is replaced.", Priority.MEDIUM),
]

CONFERENCE_DESCRIPTION = """\
**Budget transparency in West Africa**: members of budget and public accounts committees, and their clerks,
compare how their parliaments receive the budget, follow its execution and use the audit reports.

- The open budget: what a parliament should receive, and when
- Budget offices: mandates, staffing and access to figures
- Public accounts committees and supreme audit institutions

Each invited parliament has three seats; its focal point nominates the delegation.
"""
