"""What Hemicycle holds about a person, table by table: how each kind of row is shown to them and what erasure does.

Rows are found through the foreign keys in the metadata (people.personal_data walks
them), so a new table that refers to a person, or to a row of theirs, is exported at
once under its table's name and blocks erasure until it is described here with its
label and a reason (tests/people/test_personal_data.py fails until then). Tables are
named, never imported: the people package stays below the features that own them.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from flask_babel import lazy_pgettext as _lp

# Secrets are never exported nor searched, whatever table they are in: a column whose name says it
# holds a hash, a secret, a token, a password or a key (password hashes, token hashes, one-time
# password secrets, recovery codes' hashes, the session key).
SECRET_COLUMN = re.compile(r"hash|secret|token|password|(^|_)key$", re.IGNORECASE)


def is_secret(column_name: str) -> bool:
    return bool(SECRET_COLUMN.search(column_name))


class Erasure(enum.StrEnum):
    KEEP = "keep"      # the row stays and points at the anonymised person (reports count it)
    DELETE = "delete"  # the row goes


@dataclass(frozen=True)
class Holding:
    """How rows referring to a person (or to one of their rows) through one column are shown and erased.

    `own`: the rows are the person's own: every column is shown (secrets excepted) and rows
    referring to them are followed in turn. Otherwise the person only acted on the row (it is
    someone else's or everyone's) and only `shown` is exported, never another person's details.
    `clear`: free-text columns emptied when the row is kept by an erasure.
    """

    label: object
    erase: Erasure
    reason: str
    own: bool = True
    shown: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()


KEEP, DELETE = Erasure.KEEP, Erasure.DELETE
COUNTED = "participation reports count it by parliament, kind, gender and side"
ACTED = "a record of work the person did for others; it then names the anonymised person"

# (table, referring column) -> Holding, in the order the page shows them.
HOLDINGS: dict[tuple[str, str], Holding] = {
    ("registration", "person_id"): Holding(_lp("personal data", "Registrations"), KEEP, COUNTED, clear=("trainer_message",)),
    ("attendance", "registration_id"): Holding(_lp("personal data", "Attendance"), KEEP, COUNTED),
    ("logistics", "registration_id"): Holding(_lp("personal data", "Travel and stay"), DELETE,
                                              "travel, stay and passport details serve only the visit"),
    ("invitation_letter", "registration_id"): Holding(_lp("personal data", "Invitation letters"), DELETE,
                                                      "a letter for a visa application serves only the visit"),
    ("application", "person_id"): Holding(_lp("personal data", "Applications to calls"), DELETE,
                                          "an application serves only the selection; a registration it led to stays"),
    ("application", "registration_id"): Holding(_lp("personal data", "Applications that led to a registration"), DELETE,
                                                "the same applications, reached through the registration"),
    ("agenda_item_participant", "registration_id"): Holding(
        _lp("personal data", "Visit agenda meetings"), DELETE,
        "which meetings of a visit concern the person serves only the visit"),
    ("response", "person_id"): Holding(_lp("personal data", "Questionnaire answers given by name"), DELETE,
                                       "answers to a named questionnaire are the person's own"),
    ("answer", "response_id"): Holding(_lp("personal data", "Answers"), DELETE, "answers of a named response go with it"),
    ("test_score", "person_id"): Holding(_lp("personal data", "Test scores before and after activities"), KEEP,
                                         "programme indicators count the average learning gain"),
    ("response_receipt", "person_id"): Holding(_lp("personal data", "Questionnaires sent to you"), DELETE,
                                               "only whether the person was asked and has answered, to ask once"),
    ("enrolment", "person_id"): Holding(_lp("personal data", "Courses"), KEEP, "completions are counted in participation reports"),
    ("lesson_progress", "enrolment_id"): Holding(_lp("personal data", "Lessons done"), DELETE, "progress is not reported"),
    ("quiz_attempt", "enrolment_id"): Holding(_lp("personal data", "Quiz attempts"), DELETE, "the course keeps its best score"),
    ("quiz_answer", "attempt_id"): Holding(_lp("personal data", "Quiz answers"), DELETE, "answers are the person's own"),
    ("certificate", "enrolment_id"): Holding(_lp("personal data", "Certificates"), DELETE, "a certificate prints the holder's name"),
    ("political_affiliation", "person_id"): Holding(
        _lp("personal data", "Political side over time"), KEEP, "reports count members with the side held on the activity's date",
        clear=("note",)),
    ("activity_trainer", "person_id"): Holding(_lp("personal data", "Activities you train"), DELETE,
                                               "activity pages would show an erased trainer"),
    ("feed_token", "person_id"): Holding(_lp("personal data", "Calendar addresses"), DELETE, "a personal calendar feed"),
    ("one_time_token", "person_id"): Holding(_lp("personal data", "Password and invitation links"), DELETE, "sign-in links"),
    ("two_factor_credential", "person_id"): Holding(_lp("personal data", "Two-step sign-in"), DELETE,
                                                    "a way to sign in to an account that no longer signs in"),
    ("recovery_code", "person_id"): Holding(_lp("personal data", "Recovery codes"), DELETE,
                                            "a way to sign in to an account that no longer signs in"),
    ("sign_in_device", "person_id"): Holding(_lp("personal data", "Remembered devices"), DELETE,
                                             "browsers the person signed in with, named from their User-Agent"),
    ("notification_preference", "person_id"): Holding(_lp("personal data", "Mail preferences"), DELETE, "the person's choices"),
    ("notification_preference_topic", "person_id"): Holding(_lp("personal data", "Topics of interest"), DELETE,
                                                            "the person's choices"),
    ("sent_reminder", "person_id"): Holding(_lp("personal data", "Reminders sent"), DELETE, "a trace of mail to the person"),
    ("registration", "nominated_by_id"): Holding(
        _lp("personal data", "Registrations you made for others"), KEEP, ACTED, own=False,
        shown=("id", "activity_id", "state", "created_at")),
    ("enrolment", "enrolled_by_id"): Holding(_lp("personal data", "Enrolments you made for others"), KEEP, ACTED, own=False,
                                             shown=("id", "course_id", "enrolled_at")),
    ("political_affiliation", "recorded_by_id"): Holding(_lp("personal data", "Political sides you recorded"), KEEP, ACTED, own=False,
                                                         shown=("id", "recorded_at")),
    ("activity", "created_by_id"): Holding(_lp("personal data", "Activities you created"), KEEP, ACTED, own=False,
                                           shown=("id", "title", "created_at")),
    ("needs_request", "submitted_by_id"): Holding(_lp("personal data", "Requests you submitted"), KEEP, ACTED, own=False,
                                                  shown=("id", "title", "status", "created_at")),
    ("needs_request", "status_changed_by_id"): Holding(_lp("personal data", "Requests whose status you changed"), KEEP, ACTED,
                                                       own=False, shown=("id", "title", "status",
                                                                         "status_changed_at")),
    ("action_plan", "created_by_id"): Holding(_lp("personal data", "Action plans you created"), KEEP, ACTED, own=False,
                                              shown=("id", "activity_id", "created_at")),
    ("commitment", "updated_by_id"): Holding(_lp("personal data", "Commitments you updated"), KEEP, ACTED, own=False,
                                             shown=("id", "description", "status", "updated_at")),
    ("review", "written_by_id"): Holding(_lp("personal data", "Reviews you wrote"), KEEP, ACTED, own=False,
                                         shown=("id", "plan_id", "notes", "updated_at")),
    ("logistics", "updated_by_id"): Holding(_lp("personal data", "Travel and stay details you entered"), KEEP, ACTED,
                                            own=False, shown=("id", "registration_id", "updated_at")),
    ("invitation_letter", "issued_by_id"): Holding(_lp("personal data", "Invitation letters you issued"), KEEP, ACTED,
                                                   own=False, shown=("id", "registration_id", "issued_at")),
    ("indicator_value", "entered_by_id"): Holding(_lp("personal data", "Indicator values you entered"), KEEP, ACTED,
                                                own=False, shown=("id", "indicator_id", "value", "entered_at")),
    ("cost_line", "created_by_id"): Holding(_lp("personal data", "Cost lines you added"), KEEP, ACTED, own=False,
                                            shown=("id", "activity_id", "created_at")),
    ("cost_line", "updated_by_id"): Holding(_lp("personal data", "Cost lines you changed"), KEEP, ACTED, own=False,
                                            shown=("id", "activity_id", "updated_at")),
    ("application", "proposed_by_id"): Holding(_lp("personal data", "Applications you proposed"), KEEP, ACTED,
                                               own=False, shown=("id", "call_id", "created_at")),
    ("application", "decided_by_id"): Holding(_lp("personal data", "Applications you decided"), KEEP, ACTED,
                                              own=False, shown=("id", "call_id", "status", "decided_at")),
    ("expert_profile", "person_id"): Holding(_lp("personal data", "Expert profile"), DELETE,
                                             "a profile serves only to staff missions; missions you went on stay"),
    ("expert_language", "profile_id"): Holding(_lp("personal data", "Working languages"), DELETE, "part of the expert profile"),
    ("expert_availability", "profile_id"): Holding(_lp("personal data", "Availability for missions"), DELETE,
                                                   "part of the expert profile"),
    ("expert_topic", "profile_id"): Holding(_lp("personal data", "Areas of expertise"), DELETE, "part of the expert profile"),
    ("mission_team_member", "person_id"): Holding(_lp("personal data", "Missions you went on"), KEEP,
                                                  "a mission's record names its team; it then names the anonymised person"),
    ("mission_team_member", "registration_id"): Holding(_lp("personal data", "Your roles in mission teams"), KEEP,
                                                        "the same team places, reached through the registration"),
    ("mission_team_member", "added_by_id"): Holding(_lp("personal data", "Mission team members you added"), KEEP, ACTED,
                                                    own=False, shown=("id", "activity_id", "added_at")),
    ("terms_of_reference", "updated_by_id"): Holding(_lp("personal data", "Terms of reference you changed"), KEEP, ACTED,
                                                     own=False, shown=("id", "activity_id", "updated_at")),
    ("terms_of_reference", "agreed_by_id"): Holding(_lp("personal data", "Terms of reference you agreed"), KEEP, ACTED,
                                                    own=False, shown=("id", "activity_id", "agreed_at")),
    ("terms_version", "changed_by_id"): Holding(_lp("personal data", "Versions of terms of reference you saved"), KEEP,
                                                ACTED, own=False, shown=("id", "terms_id", "version", "changed_at")),
    ("mission_report", "author_id"): Holding(_lp("personal data", "Mission reports you wrote"), KEEP, ACTED, own=False,
                                             shown=("id", "activity_id", "status", "updated_at")),
    ("mission_report", "validated_by_id"): Holding(_lp("personal data", "Mission reports you validated"), KEEP, ACTED,
                                                   own=False, shown=("id", "activity_id", "validated_at")),
    ("recommendation", "converted_by_id"): Holding(_lp("personal data", "Recommendations you followed up"), KEEP, ACTED,
                                                   own=False, shown=("id", "report_id", "converted_at")),
    ("document", "uploaded_by_id"): Holding(_lp("personal data", "Documents you uploaded"), KEEP, ACTED, own=False,
                                            shown=("id", "title", "uploaded_at")),
    ("mentoring_pair", "mentor_id"): Holding(_lp("personal data", "Mentoring pairs: as mentor"), KEEP, COUNTED,
                                             clear=("purpose",)),
    ("mentoring_pair", "mentee_id"): Holding(_lp("personal data", "Mentoring pairs: as mentee"), KEEP, COUNTED,
                                             clear=("purpose",)),
    ("mentoring_objective", "pair_id"): Holding(_lp("personal data", "Mentoring objectives"), KEEP,
                                                "the pair's results are counted", clear=("text",)),
    ("mentoring_meeting", "pair_id"): Holding(_lp("personal data", "Mentoring meetings"), KEEP,
                                              "participation reports count the hours met", clear=("agenda",)),
    # The log and the reviews reached through the pair show only that they exist: each note's and review's words
    # are their author's (exported through author_id), and an administrator reading someone's data must not
    # read a pair's log through it.
    ("mentoring_note", "pair_id"): Holding(_lp("personal data", "Mentoring log"), DELETE,
                                           "the log is private to the pair and serves nothing else", own=False,
                                           shown=("id", "created_at")),
    ("mentoring_note", "meeting_id"): Holding(_lp("personal data", "Mentoring log: meeting notes"), DELETE,
                                              "the same log, reached through a meeting", own=False,
                                              shown=("id", "created_at")),
    ("mentoring_note", "author_id"): Holding(_lp("personal data", "Mentoring notes you wrote"), DELETE,
                                             "notes are their author's words"),
    ("mentoring_review", "pair_id"): Holding(_lp("personal data", "Mentoring reviews"), KEEP,
                                             "the ratings are counted", clear=("what_worked", "what_to_change"),
                                             own=False, shown=("id", "side", "submitted_at")),
    ("mentoring_review", "author_id"): Holding(_lp("personal data", "Mentoring reviews you wrote"), KEEP,
                                               "the ratings are counted", clear=("what_worked", "what_to_change")),
    ("mentoring_pair", "trainer_id"): Holding(_lp("personal data", "Mentoring pairs you follow"), KEEP, ACTED,
                                              own=False, shown=("id", "status", "starts_on", "ends_on")),
    ("mentoring_pair", "requested_by_id"): Holding(_lp("personal data", "Mentoring pairs you proposed"), KEEP, ACTED,
                                                   own=False, shown=("id", "status", "created_at")),
    ("mentoring_meeting", "scheduled_by_id"): Holding(_lp("personal data", "Mentoring meetings you scheduled"), KEEP,
                                                      ACTED, own=False, shown=("id", "pair_id", "starts_at")),
    ("library_resource", "added_by_id"): Holding(_lp("personal data", "Library resources you added"), KEEP, ACTED,
                                                 own=False, shown=("id", "title", "created_at")),
    ("library_resource", "pair_id"): Holding(_lp("personal data", "Library resources shared with your pair"), KEEP,
                                             "a resource of the library; it stays for whoever may read it",
                                             own=False, shown=("id", "title", "created_at")),
    ("placement", "person_id"): Holding(_lp("personal data", "Shadowing placements"), KEEP, COUNTED,
                                        clear=("objectives",)),
    ("placement_entry", "placement_id"): Holding(_lp("personal data", "Shadowing placements: daily programme"), KEEP,
                                                 "participation reports count the days of the programme",
                                                 clear=("what", "place", "with_whom")),
    # Reached through the placement, a report shows only that it exists: a draft is its author's alone, and the
    # words of each are exported to their author (author_id).
    ("placement_report", "placement_id"): Holding(_lp("personal data", "Shadowing placements: reports"), DELETE,
                                                  "a report on the placement serves only its follow-up", own=False,
                                                  shown=("id", "side", "submitted_at")),
    ("placement_report", "author_id"): Holding(_lp("personal data", "Placement reports you wrote"), DELETE,
                                               "a report is its author's words"),
    ("placement", "tutor_id"): Holding(_lp("personal data", "Placements you tutored"), KEEP, ACTED, own=False,
                                       shown=("id", "service", "starts_on", "ends_on")),
    ("placement", "created_by_id"): Holding(_lp("personal data", "Placements you arranged"), KEEP, ACTED, own=False,
                                            shown=("id", "service", "created_at")),
    ("alumni_entry", "person_id"): Holding(_lp("personal data", "Alumni directory entry"), DELETE,
                                           "it lists a person only by their own choice; an erased person is not listed"),
    ("alumni_topic", "entry_id"): Holding(_lp("personal data", "Alumni directory: topics of interest"), DELETE,
                                          "part of the alumni directory entry"),
    ("assistance_question", "asker_id"): Holding(
        _lp("personal data", "Questions you asked for remote assistance"), KEEP,
        "the thread is also the expert's and the unit's work; the question's title and text are emptied",
        clear=("title", "body")),
    ("assistance_message", "question_id"): Holding(_lp("personal data", "Replies to your questions"), KEEP,
                                                   "the experts' answers stay with the emptied question",
                                                   own=False, shown=("id", "side", "created_at")),
    ("assistance_attachment", "question_id"): Holding(_lp("personal data", "Files sent with your questions"), KEEP,
                                                      "a file of the thread; it stays with it", own=False,
                                                      shown=("id", "original_name", "uploaded_at")),
    ("assistance_message", "author_id"): Holding(_lp("personal data", "Your replies in remote assistance"), KEEP,
                                                 "a reply is part of a thread others read; its text is emptied",
                                                 clear=("body",)),
    ("assistance_attachment", "message_id"): Holding(_lp("personal data", "Files sent with your replies"), KEEP,
                                                     "a file of the thread; it stays with it", own=False,
                                                     shown=("id", "original_name", "uploaded_at")),
    ("assistance_attachment", "uploaded_by_id"): Holding(_lp("personal data", "Files you sent in remote assistance"),
                                                         KEEP, "a file of the thread; it stays with it",
                                                         shown=("id", "original_name", "uploaded_at")),
    ("assistance_question", "expert_id"): Holding(_lp("personal data", "Questions assigned to you"), KEEP, ACTED,
                                                  own=False, shown=("id", "status", "assigned_at")),
    ("assistance_question", "assigned_by_id"): Holding(_lp("personal data", "Questions you assigned"), KEEP, ACTED,
                                                       own=False, shown=("id", "assigned_at")),
    ("api_token", "person_id"): Holding(_lp("personal data", "API tokens"), DELETE,
                                        "a token lets a system act in the person's name; it ends with the account"),
    ("webhook_subscription", "owner_id"): Holding(_lp("personal data", "Webhook subscriptions"), DELETE,
                                                  "a subscription sends what the person may read; it ends with them"),
    ("webhook_delivery", "subscription_id"): Holding(_lp("personal data", "Webhook deliveries"), DELETE,
                                                     "the log of a subscription, gone with it"),
    ("ticket", "registration_id"): Holding(_lp("personal data", "Tickets"), DELETE,
                                         "a ticket only opens the door; the attendance it recorded stays"),
    ("check_in_scan", "ticket_id"): Holding(_lp("personal data", "Scans of your tickets"), DELETE,
                                            "the door's trace of a ticket, gone with it; the attendance stays",
                                            own=False, shown=("id", "activity_id", "outcome", "scanned_at")),
    ("check_in_helper", "person_id"): Holding(_lp("personal data", "Activities where you check people in"), DELETE,
                                              "a helper's place serves only at that activity's door"),
    ("check_in_helper", "added_by_id"): Holding(_lp("personal data", "Check-in helpers you added"), KEEP, ACTED,
                                                own=False, shown=("id", "activity_id", "created_at")),
    ("check_in_scan", "scanned_by_id"): Holding(_lp("personal data", "Tickets you scanned"), KEEP, ACTED,
                                                own=False, shown=("id", "activity_id", "outcome", "received_at")),
    ("audit_event", "actor_id"): Holding(_lp("personal data", "Your actions in the audit log"), KEEP,
                                         "the audit log is kept; its rows then name the anonymised person",
                                         own=False, shown=("occurred_at", "action", "object_type", "object_id",
                                                           "ip_address")),
}

# Columns of the person row: what an erasure does with each (the rest is kept for reports).
PERSON_KEPT = ("id", "parliament_id", "kind", "gender", "political_side", "created_at")
