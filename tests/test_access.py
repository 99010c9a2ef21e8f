"""Who may reach what: one table for every route the app registers."""
from datetime import timedelta

import pytest

from elearn.access import AUTHENTICATED, PUBLIC
from tests.exchange_samples import peer_exchange_samples
from tests.helpers import csrf_token

ROLES = ("anonymous", "learner", "focal_point", "trainer", "admin")
OK, LOGIN, FORBIDDEN, MISSING, AWAY = 200, "login", 403, 404, 302


def outcome_for(rule, role):
    if rule == PUBLIC:
        return OK
    if role == "anonymous":
        return LOGIN
    if rule == AUTHENTICATED:
        return OK
    allowed = set(rule)
    if role == "admin" or role in allowed or (role == "trainer" and "trainer" in allowed):
        return OK
    return FORBIDDEN


FOCAL_OR_TRAINER = ("focal_point", "trainer")

# endpoint -> (declared rule, method, URL arguments, per-role overrides of the derived outcome)
MATRIX = {
    "main.home": (PUBLIC, "GET", {}, {r: AWAY for r in ROLES if r != "anonymous"}),
    "main.dashboard": (AUTHENTICATED, "GET", {}, {}),
    # Tickets and badges (tests/onsite): early, while the learner's sample seat is confirmed. Its printable ticket is
    # theirs and its activity's managers' (the sample activity has no trainer: administrators only).
    "tickets.ticket": (AUTHENTICATED, "GET", {"registration_id": "registration"},
                       {"focal_point": MISSING, "trainer": MISSING}),
    "tickets.activity_tickets": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "tickets.reissue": (("trainer",), "POST", {"registration_id": "registration"},
                        {"trainer": FORBIDDEN, "admin": AWAY}),
    "badges.badges_pdf": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    # Early: later lines register and withdraw people at the sample activity. Only the confirmed learner has an agenda.
    "delegations_agenda.my_agenda": (AUTHENTICATED, "GET", {"activity_id": "activity"},
                                     {"focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    # The sample activity's learning test: only its confirmed learner takes it and sees their own scores.
    "gain.take": (AUTHENTICATED, "GET", {"activity_id": "activity", "phase": "pre"},
                  {"focal_point": FORBIDDEN, "trainer": FORBIDDEN, "admin": FORBIDDEN}),
    "gain.mine": (AUTHENTICATED, "GET", {"activity_id": "activity"},
                  {"focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    # Early too: the sample activity's documents are read by its confirmed learner; it has no trainer and no host.
    "documents.activity_documents": (AUTHENTICATED, "GET", {"activity_id": "activity"},
                                     {"focal_point": FORBIDDEN, "trainer": FORBIDDEN}),
    "documents.download": (AUTHENTICATED, "GET", {"document_id": "document"},
                           {"focal_point": MISSING, "trainer": MISSING}),
    "documents.delete": (("trainer",), "POST", {"document_id": "other_document"}, {"trainer": MISSING, "admin": AWAY}),
    "documents.programme_documents": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    # A NETWORK resource: anonymous people are told nothing of it (404); a PAIR one of nobody's here: 404 for all.
    "library.index": (PUBLIC, "GET", {}, {}),
    "library.resource": (PUBLIC, "GET", {"resource_id": "library_resource"}, {"anonymous": MISSING}),
    "library.download": (PUBLIC, "GET", {"resource_id": "library_resource"},  # its web address, counted
                         {"anonymous": MISSING, **{r: AWAY for r in ROLES if r != "anonymous"}}),
    "library.new": (("trainer",), "GET", {}, {}),
    "library.edit": (("trainer",), "GET", {"resource_id": "library_resource"}, {}),
    "library.delete": (("trainer",), "POST", {"resource_id": "pair_resource"},
                       {"trainer": MISSING, "admin": MISSING}),
    # The sample activity has no trainer: only administrators see its learning gain.
    "gain.set_test": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "gain.report": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "gain.report_csv": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "gain.report_xlsx": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "main.set_language": (PUBLIC, "POST", {}, {r: AWAY for r in ROLES}),
    "ops.healthz": (PUBLIC, "GET", {}, {}),
    "ops.readyz": (PUBLIC, "GET", {}, {}),
    # Off until METRICS_TOKEN is set; then a bearer token, not a role, opens it (tests/ops/test_metrics.py).
    "ops.metrics": (PUBLIC, "GET", {}, {r: MISSING for r in ROLES}),
    "accounts.login": (PUBLIC, "GET", {}, {r: AWAY for r in ROLES if r != "anonymous"}),
    "accounts.logout": (AUTHENTICATED, "POST", {}, {r: AWAY for r in ROLES if r != "anonymous"}),
    "accounts.change_password": (AUTHENTICATED, "GET", {}, {}),
    "accounts.forgot_password": (PUBLIC, "GET", {}, {}),
    "accounts.reset_password": (PUBLIC, "GET", {"token": "not-a-token"}, {r: MISSING for r in ROLES}),
    "accounts.accept_invitation": (PUBLIC, "GET", {"token": "not-a-token"}, {r: MISSING for r in ROLES}),
    "accounts.profile": (AUTHENTICATED, "GET", {}, {}),
    # Strong sign-in: the code page needs a password just accepted, else it sends to the sign-in page.
    "two_factor.code": (PUBLIC, "GET", {}, {r: AWAY for r in ROLES}),
    "two_factor.setup": (AUTHENTICATED, "GET", {}, {}),
    "two_factor.renew_recovery_codes": (AUTHENTICATED, "POST", {}, {r: AWAY for r in ROLES if r != "anonymous"}),
    "two_factor.disable": (AUTHENTICATED, "POST", {}, {r: AWAY for r in ROLES if r != "anonymous"}),
    "two_factor.device_list": (AUTHENTICATED, "GET", {}, {}),
    "api_docs.docs": (PUBLIC, "GET", {}, {}),
    "check_in.service_worker": (PUBLIC, "GET", {}, {}),  # a script without personal data, never a redirect
    "api-docs.openapi_json": (PUBLIC, "GET", {}, {}),
    "api_tokens.index": (AUTHENTICATED, "GET", {}, {}),
    # An empty form: the page again with its errors.
    "api_tokens.create": (AUTHENTICATED, "POST", {}, {r: 422 for r in ROLES if r != "anonymous"}),
    # The sample token is the learner's: anyone else's attempt to revoke it is a 404.
    "api_tokens.revoke": (AUTHENTICATED, "POST", {"token_id": "api_token"},
                          {"learner": AWAY, "focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    "webhooks.index": (AUTHENTICATED, "GET", {}, {}),
    # An empty form: the page again with its errors.
    "webhooks.create": (AUTHENTICATED, "POST", {}, {r: 422 for r in ROLES if r != "anonymous"}),
    # The sample subscription is the learner's: its log is theirs (and administrators'); anyone else gets a 404.
    "webhooks.log": (AUTHENTICATED, "GET", {"subscription_id": "webhook_subscription"},
                     {"focal_point": MISSING, "trainer": MISSING}),
    "webhooks.send_again": (AUTHENTICATED, "POST", {"delivery_id": "webhook_delivery"},
                            {"learner": AWAY, "focal_point": MISSING, "trainer": MISSING, "admin": AWAY}),
    # After the lines above: only its owner deletes it.
    "webhooks.delete": (AUTHENTICATED, "POST", {"subscription_id": "webhook_subscription"},
                        {"learner": AWAY, "focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    # The sample device is the learner's: anyone else's attempt to forget it is a 404.
    "two_factor.revoke_device": (AUTHENTICATED, "POST", {"device_id": "device"},
                                 {"learner": AWAY, "focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    "two_factor_admin.reset": (("admin",), "POST", {"person_id": "learner"}, {"admin": AWAY}),
    "personal_data.your_data": (AUTHENTICATED, "GET", {}, {}),
    "personal_data.your_data_json": (AUTHENTICATED, "GET", {}, {}),
    "personal_data.person_data": (("admin",), "GET", {"person_id": "learner"}, {}),
    "personal_data.person_data_json": (("admin",), "GET", {"person_id": "learner"}, {}),
    # The confirmation page; the erasure itself needs the form's password check (tests/people/test_personal_data.py).
    "personal_data.erase_person": (("admin",), "GET", {"person_id": "learner"}, {}),
    "people_admin.people": (("admin",), "GET", {}, {}),
    "people_admin.create_person": (("admin",), "GET", {}, {}),
    "people_admin.edit_person": (("admin",), "GET", {"person_id": "learner"}, {}),
    "people_admin.set_active": (("admin",), "POST", {"person_id": "learner"}, {"admin": AWAY}),
    "people_admin.invite": (("admin",), "POST", {"person_id": "learner"}, {"admin": AWAY}),
    "people_admin.import_people": (("admin",), "GET", {}, {}),
    "people_admin.confirm_import": (("admin",), "POST", {}, {"admin": AWAY}),
    "people_admin.parliaments": (("admin",), "GET", {}, {}),
    "people_admin.create_parliament": (("admin",), "GET", {}, {}),
    "people_admin.edit_parliament": (("admin",), "GET", {"parliament_id": "parliament"}, {}),
    "people_admin.delete_parliament": (("admin",), "POST", {"parliament_id": "parliament"}, {"admin": AWAY}),
    "mail_admin.outbox": (("admin",), "GET", {}, {}),
    "mail_admin.retry": (("admin",), "POST", {"message_id": "message"}, {"admin": AWAY}),
    "scheduling.activities": (PUBLIC, "GET", {}, {}),
    "scheduling.month": (PUBLIC, "GET", {}, {}),
    "scheduling.activity": (PUBLIC, "GET", {"activity_id": "activity"}, {}),
    "scheduling.register": (AUTHENTICATED, "POST", {"activity_id": "activity"}, {r: AWAY for r in ROLES}),
    # Confirmation pages come before the actions they confirm (which change the sample objects).
    "scheduling.confirm_withdraw": (AUTHENTICATED, "GET", {"registration_id": "registration"},
                                    {"focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    "scheduling.withdraw": (AUTHENTICATED, "POST", {"registration_id": "registration"},
                            {"learner": AWAY, "focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    "scheduling.my_schedule": (AUTHENTICATED, "GET", {}, {}),
    "scheduling.nominate": (("focal_point",), "GET", {"activity_id": "activity"}, {"admin": FORBIDDEN}),
    # Calls for applications: the sample activity has no trainer, so a trainer who is not the admin is refused (403,
    # as on the delegation's other pages).
    "calls.listing": (AUTHENTICATED, "GET", {}, {}),
    "calls.apply": (AUTHENTICATED, "GET", {"call_id": "call"}, {}),
    "calls.propose": (("focal_point",), "GET", {"call_id": "call"}, {"admin": FORBIDDEN}),
    "calls.propose_person": (("focal_point",), "GET", {"call_id": "call", "person_id": "learner"},
                             {"admin": FORBIDDEN}),
    "calls.withdraw": (AUTHENTICATED, "POST", {"application_id": "application"},
                       {"learner": AWAY, "focal_point": MISSING, "trainer": MISSING, "admin": MISSING}),
    "calls_admin.edit_call": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "calls_admin.applications": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "calls_admin.decide": (("trainer",), "POST", {"activity_id": "activity", "application_id": "application"},
                           {"trainer": FORBIDDEN, "admin": AWAY}),
    "calls_admin.programme_targets": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    "indicators.framework": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    "indicators.add_indicator": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    "indicators.edit_indicator": (("trainer",), "GET", {"programme_id": "programme", "indicator_id": "indicator"}, {}),
    "indicators.delete_indicator": (("trainer",), "GET", {"programme_id": "programme", "indicator_id": "indicator"}, {}),
    "indicators.enter_value": (("trainer",), "GET", {"programme_id": "programme", "indicator_id": "indicator"}, {}),
    "indicators.donor_report": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    "indicators.donor_report_xlsx": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    "indicators.donor_report_pdf": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    "scheduling_admin.activities": (("trainer",), "GET", {}, {}),
    "scheduling_admin.create_activity": (("trainer",), "GET", {}, {}),
    "scheduling_admin.edit_activity": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "scheduling_admin.confirm_cancel": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "scheduling_admin.change_status": (("trainer",), "POST", {"activity_id": "activity"}, {"trainer": 400, "admin": 400}),
    "scheduling_admin.clone": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "scheduling_admin.overview": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "scheduling_admin.confirm_remove": (("trainer",), "GET", {"registration_id": "registration"}, {}),
    "scheduling_admin.remove": (("trainer",), "POST", {"registration_id": "registration"},
                                {"trainer": AWAY, "admin": AWAY}),
    "scheduling_admin.decide": (("trainer",), "POST", {"registration_id": "registration"}, {"trainer": AWAY, "admin": AWAY}),
    "scheduling_admin.attendance": (("trainer",), "GET", {"session_id": "session"}, {}),
    "scheduling_admin.sign_in_sheet": (("trainer",), "GET", {"session_id": "session"}, {}),
    "scheduling_admin.export_csv": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "scheduling_admin.export_xlsx": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "scheduling_admin.programmes": (("trainer",), "GET", {}, {}),
    "scheduling_admin.create_programme": (("trainer",), "GET", {}, {}),
    "scheduling_admin.edit_programme": (("trainer",), "GET", {"programme_id": "programme"}, {}),
    # Only the activity's own trainers and administrators: the sample activity has no trainer.
    "logistics.participants": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "logistics.edit": (("trainer",), "GET", {"activity_id": "activity", "registration_id": "registration"},
                       {"trainer": FORBIDDEN}),
    "feeds.activity_ics": (PUBLIC, "GET", {"activity_id": "activity"}, {}),
    # Learning: the catalogue, course pages, assets and certificate checks are public.
    "learning.catalogue": (PUBLIC, "GET", {}, {}),
    "learning.course": (PUBLIC, "GET", {"slug": "course"}, {}),
    "learning.asset": (PUBLIC, "GET", {"slug": "course", "path": "asset"}, {}),
    "learning.find_certificate": (PUBLIC, "GET", {}, {}),
    "learning.verify_certificate": (PUBLIC, "GET", {"code": "certificate"}, {}),
    # Only the learner is enrolled (and has a certificate); the others are sent back to the course page.
    "learning.enrol": (AUTHENTICATED, "POST", {"slug": "course"}, {r: AWAY for r in ROLES if r != "anonymous"}),
    "learning.resume": (AUTHENTICATED, "GET", {"slug": "course"}, {r: AWAY for r in ROLES if r != "anonymous"}),
    "learning.lesson": (AUTHENTICATED, "GET", {"slug": "course", "lesson_slug": "lesson"},
                        {"focal_point": AWAY}),  # trainers and admins may preview
    "learning.mark_done": (AUTHENTICATED, "POST", {"slug": "course", "lesson_slug": "lesson"},
                           {r: AWAY for r in ROLES if r != "anonymous"}),
    "learning.quiz": (AUTHENTICATED, "GET", {"slug": "course"}, {r: AWAY for r in ROLES if r not in ("anonymous", "learner")}),
    "learning.attempt": (AUTHENTICATED, "GET", {"slug": "course", "attempt_id": "attempt"},
                         {r: MISSING for r in ROLES if r not in ("anonymous", "learner")}),
    "learning.my_learning": (AUTHENTICATED, "GET", {}, {}),
    "learning.certificate": (AUTHENTICATED, "GET", {"slug": "course"},
                             {r: MISSING for r in ROLES if r not in ("anonymous", "learner")}),
    "learning.certificate_pdf": (AUTHENTICATED, "GET", {"slug": "course"},
                                 {r: MISSING for r in ROLES if r not in ("anonymous", "learner")}),
    # Reading offline: the worker and its offline page are anyone's; a course's manifest and the lessons done offline
    # are its enrolled learners' only (the matrix posts a form, not the script's JSON: 400 for the learner).
    "learning_offline.service_worker": (PUBLIC, "GET", {}, {}),
    "learning_offline.fallback": (PUBLIC, "GET", {}, {}),
    "learning_offline.manifest": (AUTHENTICATED, "GET", {"slug": "course"},
                                  {r: FORBIDDEN for r in ("focal_point", "trainer", "admin")}),
    "learning_offline.record_progress": (AUTHENTICATED, "POST", {"slug": "course"},
                                         {"learner": 400, **{r: FORBIDDEN for r in ("focal_point", "trainer", "admin")}}),
    "learning_admin.courses": (("trainer",), "GET", {}, {}),
    "learning_admin.enrolments": (("trainer",), "GET", {"slug": "course"}, {}),
    "learning_admin.enrolments_csv": (("trainer",), "GET", {"slug": "course"}, {}),
    "learning_admin.enrol": (("trainer",), "GET", {"slug": "course"}, {}),
    "learning_admin.quiz_results": (("trainer",), "GET", {"slug": "course"}, {}),
    "people_admin.record_side_change": (("admin",), "POST", {"person_id": "learner"}, {}),
    "cooperation.requests": (FOCAL_OR_TRAINER, "GET", {}, {}),
    "cooperation.new_request": (FOCAL_OR_TRAINER, "GET", {}, {}),
    "cooperation.request_detail": (FOCAL_OR_TRAINER, "GET", {"request_id": "request"}, {}),
    "cooperation.plans": (FOCAL_OR_TRAINER, "GET", {}, {}),
    "cooperation.plan": (FOCAL_OR_TRAINER, "GET", {"plan_id": "plan"}, {}),
    "cooperation.update_commitment": (FOCAL_OR_TRAINER, "POST", {"commitment_id": "commitment"}, {}),
    "cooperation.parliament": (FOCAL_OR_TRAINER, "GET", {"parliament_id": "parliament"}, {}),
    "cooperation_admin.triage": (("trainer",), "POST", {"request_id": "request"}, {}),
    "cooperation_admin.link": (("trainer",), "POST", {"request_id": "request"}, {"trainer": AWAY, "admin": AWAY}),
    "cooperation_admin.create_plan": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "cooperation_admin.add_commitment": (("trainer",), "POST", {"plan_id": "plan"}, {}),
    "cooperation_admin.schedule_review": (("trainer",), "POST", {"plan_id": "plan"}, {}),
    "cooperation_admin.review": (("trainer",), "GET", {"review_id": "review"}, {}),
    "cooperation_admin.parliaments": (("trainer",), "GET", {}, {}),
    "reports.participation": (("trainer",), "GET", {}, {}),
    "reports.participation_csv": (("trainer",), "GET", {}, {}),
    "reports.participation_xlsx": (("trainer",), "GET", {}, {}),
    "evaluation_results.period": (("trainer",), "GET", {}, {}),
    "evaluation_results.period_csv": (("trainer",), "GET", {}, {}),
    "evaluation_results.period_xlsx": (("trainer",), "GET", {}, {}),
    "evaluation_results.activity": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "evaluation_results.activity_csv": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    "evaluation_results.activity_xlsx": (("trainer",), "GET", {"activity_id": "activity"}, {}),
    # The logistics boards: without an activity chosen, each trainer's own activities (IDOR: tests/delegations).
    "delegation_boards.rooming": (("trainer",), "GET", {}, {}),
    "delegation_boards.rooming_csv": (("trainer",), "GET", {}, {}),
    "delegation_boards.rooming_xlsx": (("trainer",), "GET", {}, {}),
    "delegation_boards.arrivals": (("trainer",), "GET", {}, {}),
    "delegation_boards.arrivals_csv": (("trainer",), "GET", {}, {}),
    "delegation_boards.arrivals_xlsx": (("trainer",), "GET", {}, {}),
    "delegation_boards.transport": (("trainer",), "GET", {}, {}),
    "delegation_boards.transport_csv": (("trainer",), "GET", {}, {}),
    "delegation_boards.transport_xlsx": (("trainer",), "GET", {}, {}),
    "delegation_boards.per_diem": (("trainer",), "GET", {}, {}),
    "delegation_boards.per_diem_csv": (("trainer",), "GET", {}, {}),
    "delegation_boards.per_diem_xlsx": (("trainer",), "GET", {}, {}),
    "audit_admin.events": (("admin",), "GET", {}, {}),
    # The sample activity has no trainer: only administrators manage its costs.
    "costs.activity_costs": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "costs.add_line": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "costs.edit_line": (("trainer",), "GET", {"activity_id": "activity", "line_id": "cost_line"},
                        {"trainer": FORBIDDEN}),
    "costs.confirm_delete_line": (("trainer",), "GET", {"activity_id": "activity", "line_id": "cost_line"},
                                  {"trainer": FORBIDDEN}),
    "costs.delete_line": (("trainer",), "POST", {"activity_id": "activity", "line_id": "other_cost_line"},
                          {"trainer": FORBIDDEN, "admin": AWAY}),
    "costs.report": (("trainer",), "GET", {}, {}),
    "costs.report_csv": (("trainer",), "GET", {}, {}),
    "costs.report_xlsx": (("trainer",), "GET", {}, {}),
    "feeds.calendar_ics": (PUBLIC, "GET", {}, {}),
    "feeds.programme_ics": (PUBLIC, "GET", {"slug": "programme_slug"}, {}),
    "feeds.course_ics": (PUBLIC, "GET", {"slug": "course"}, {}),
    # A personal feed is reached by its secret alone: a wrong one is a 404 for everyone.
    "feeds.personal_ics": (PUBLIC, "GET", {"token": "not-a-token"}, {r: MISSING for r in ROLES}),
    "feeds.calendar_page": (PUBLIC, "GET", {}, {}),
    "feeds.subscriptions": (AUTHENTICATED, "GET", {}, {}),
    "feeds.new_address": (AUTHENTICATED, "POST", {}, {r: AWAY for r in ROLES}),
    "feeds.confirm_revoke": (AUTHENTICATED, "GET", {}, {}),  # after new_address: there is an address to stop
    "feeds.revoke_address": (AUTHENTICATED, "POST", {}, {r: AWAY for r in ROLES}),
    "feeds.address_options": (AUTHENTICATED, "POST", {}, {r: AWAY for r in ROLES}),
    "notifications.preferences": (AUTHENTICATED, "GET", {}, {}),
    # Unsubscribe links work without signing in: the signed token is the authority.
    "notifications.unsubscribe_page": (PUBLIC, "GET", {"token": "unsubscribe_token"}, {}),
    "notifications.unsubscribe": (PUBLIC, "POST", {"token": "unsubscribe_token"}, {}),
    # Invitation letters: only the activity's own trainers (the sample activity has none) and admins
    # manage them; issuing for the sample registration is refused (no payers stated) and sends back.
    "delegation_letters.activity_letters": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "delegation_letters.issue": (("trainer",), "POST", {"registration_id": "registration"},
                                 {"trainer": FORBIDDEN, "admin": AWAY}),
    # No letter 0: a 404 for every signed-in role (tests/delegations/test_letters_access.py has real ones).
    "delegation_letters.reissue": (("trainer",), "POST", {"letter_id": 0}, {"trainer": MISSING, "admin": MISSING}),
    "delegation_letters.download": (AUTHENTICATED, "GET", {"letter_id": 0},
                                    {r: MISSING for r in ROLES if r != "anonymous"}),
    "delegation_letters.my_letters": (AUTHENTICATED, "GET", {}, {}),
    "delegation_letters.find": (PUBLIC, "GET", {}, {}),
    "delegation_letters.verify": (PUBLIC, "GET", {"code": "not-a-code"}, {r: MISSING for r in ROLES}),
    # The visit agenda: any trainer keeps the directory; an activity's agenda is its trainers' (the sample
    # trainer does not teach the sample activity) and administrators'; a participant reads their own.
    "delegations_agenda.institution_list": (("trainer",), "GET", {}, {}),
    "delegations_agenda.create_institution": (("trainer",), "GET", {}, {}),
    "delegations_agenda.edit_institution": (("trainer",), "GET", {"institution_id": "institution"}, {}),
    "delegations_agenda.confirm_delete_institution": (("trainer",), "GET", {"institution_id": "institution"}, {}),
    # Refused (an agenda item uses it) with a message: back to the list.
    "delegations_agenda.delete_institution": (("trainer",), "POST", {"institution_id": "institution"},
                                              {"trainer": AWAY, "admin": AWAY}),
    "delegations_agenda.activity_agenda": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "delegations_agenda.create_item": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "delegations_agenda.print_agenda": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    "delegations_agenda.edit_item": (("trainer",), "GET", {"item_id": "agenda_item"}, {"trainer": FORBIDDEN}),
    "delegations_agenda.confirm_delete_item": (("trainer",), "GET", {"item_id": "agenda_item"},
                                               {"trainer": FORBIDDEN}),
    # After the other agenda lines: it deletes the sample item.
    "delegations_agenda.delete_item": (("trainer",), "POST", {"item_id": "agenda_item"},
                                       {"trainer": FORBIDDEN, "admin": AWAY}),
    # Evaluation questionnaires: any trainer keeps the templates; an activity's questionnaire is its own
    # trainers' (the sample activity has none) and administrators'; only attendees answer (the sample
    # learner has no attendance: a 404, as for everyone else).
    "questionnaire_admin.index": (("trainer",), "GET", {}, {}),
    "questionnaire_admin.create": (("trainer",), "GET", {}, {}),
    "questionnaire_admin.show": (("trainer",), "GET", {"questionnaire_id": "questionnaire"}, {}),
    "questionnaire_admin.edit": (("trainer",), "GET", {"questionnaire_id": "questionnaire"}, {}),
    "questionnaire_admin.add_question": (("trainer",), "GET", {"questionnaire_id": "questionnaire"}, {}),
    "questionnaire_admin.edit_question": (("trainer",), "GET",
                                          {"questionnaire_id": "questionnaire", "question_id": "question"}, {}),
    "questionnaire_admin.copy": (("trainer",), "POST", {"questionnaire_id": "questionnaire"},
                                 {"trainer": AWAY, "admin": AWAY}),
    "questionnaire_admin.retire": (("trainer",), "POST", {"questionnaire_id": "questionnaire"},
                                   {"trainer": AWAY, "admin": AWAY}),
    "questionnaire_admin.delete_question": (("trainer",), "POST",
                                            {"questionnaire_id": "questionnaire", "question_id": "question"},
                                            {"trainer": AWAY, "admin": AWAY}),
    "questionnaire_admin.activity": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN}),
    # A mission's terms: its managers (the sample trainer is not one), team and host parliament's focal point read
    # them; only that focal point agrees (a post without the version shown is sent back to the page).
    # Shadowing placements: the sample one places the learner (so their focal point sees it too), under way.
    "placements.mine": (AUTHENTICATED, "GET", {}, {}),
    "placements.manage": (("trainer",), "GET", {}, {}),
    "placements.create": (("trainer",), "GET", {}, {}),
    "placements.edit": (("trainer",), "GET", {"placement_id": "placement"}, {}),
    "placements.placement": (AUTHENTICATED, "GET", {"placement_id": "placement"}, {}),
    # The programme is the unit's and the tutor's: an empty entry is a 400 for them, a 403 for the others.
    "placements.add_entry": (AUTHENTICATED, "POST", {"placement_id": "placement"},
                             {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": 400, "admin": 400}),
    "placements.delete_entry": (AUTHENTICATED, "POST", {"placement_id": "placement", "entry_id": "placement_entry"},
                                {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": AWAY, "admin": AWAY}),
    "placements.copy_agenda": (AUTHENTICATED, "POST", {"placement_id": "placement"},
                               {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": AWAY, "admin": AWAY}),
    # Only the placed person (the learner) and the tutor write a report.
    "placements.report": (AUTHENTICATED, "GET", {"placement_id": "placement"},
                          {"focal_point": FORBIDDEN, "trainer": FORBIDDEN, "admin": FORBIDDEN}),
    "mission_terms.terms": (AUTHENTICATED, "GET", {"activity_id": "mission"}, {"learner": FORBIDDEN, "trainer": FORBIDDEN}),
    "mission_terms.versions": (AUTHENTICATED, "GET", {"activity_id": "mission"},
                               {"learner": FORBIDDEN, "trainer": FORBIDDEN}),
    "mission_terms.edit": (("trainer",), "GET", {"activity_id": "mission"}, {"trainer": FORBIDDEN}),
    "mission_terms.agree": (("focal_point",), "POST", {"activity_id": "mission"}, {"focal_point": AWAY, "admin": FORBIDDEN}),
    # The sample pair: the learner is its mentee and the trainer its trainer. The focal point cannot see it (a 404);
    # an administrator sees its meetings but only the pair and its trainer schedule, change or record them.
    "mentoring_meetings.meetings": (AUTHENTICATED, "GET", {"pair_id": "meeting_pair"}, {"focal_point": MISSING}),
    **{f"mentoring_meetings.{name}": (AUTHENTICATED, "GET", {key: value},
                                      {"focal_point": MISSING, "admin": FORBIDDEN})
       for name, key, value in (("schedule", "pair_id", "meeting_pair"), ("edit", "meeting_id", "meeting"),
                                ("confirm_cancel", "meeting_id", "meeting"))},
    "mentoring_meetings.cancel": (AUTHENTICATED, "POST", {"meeting_id": "meeting_to_cancel"},
                                  {"learner": AWAY, "trainer": AWAY, "focal_point": MISSING, "admin": FORBIDDEN}),
    "mentoring_meetings.mark_held": (AUTHENTICATED, "POST", {"meeting_id": "past_meeting"},
                                     {"learner": AWAY, "trainer": AWAY, "focal_point": MISSING, "admin": FORBIDDEN}),
    "evaluation_answer.answer": (AUTHENTICATED, "GET", {"activity_id": "activity"},
                                 {r: MISSING for r in ROLES if r != "anonymous"}),
    # Everyone signed in reaches their own profile page (an explanation unless their parliament gives assistance).
    "expert_roster.my_profile": (AUTHENTICATED, "GET", {}, {}),
    "expert_roster.search": (("trainer",), "GET", {}, {}),
    "expert_roster.profile": (("trainer",), "GET", {"profile_id": "expert_profile"}, {}),
    # Everyone signed in: the directory, one's own choices (a page saying why to those who took part in nothing),
    # and a listed alumnus's card.
    "alumni.listing": (AUTHENTICATED, "GET", {}, {}),
    "alumni.settings": (AUTHENTICATED, "GET", {}, {}),
    "alumni.card": (AUTHENTICATED, "GET", {"entry_id": "alumni_entry"}, {}),
    # Mission reports: the sample activity is not a mission, so its report is a 404 for everyone
    # (tests/missions/test_reports_access.py has real missions, their heads and other missions' heads).
    "mission_reports.report": (AUTHENTICATED, "GET", {"activity_id": "activity"},
                               {r: MISSING for r in ROLES if r != "anonymous"}),
    **{f"mission_reports.{name}": (AUTHENTICATED, "POST", {"activity_id": "activity"},
                                   {r: MISSING for r in ROLES if r != "anonymous"})
       for name in ("save_findings", "add_recommendation", "submit")},
    **{f"mission_reports.{name}": (AUTHENTICATED, "POST", {"activity_id": "activity", "recommendation_id": 0},
                                   {r: MISSING for r in ROLES if r != "anonymous"})
       for name in ("edit_recommendation", "remove_recommendation", "move_recommendation")},
    **{f"mission_reports.{name}": (("trainer",), "POST", {"activity_id": "activity"},
                                   {"trainer": MISSING, "admin": MISSING}) for name in ("validate", "send_back")},
    "mission_reports.convert": (("trainer",), "POST", {"activity_id": "activity", "recommendation_id": 0},
                                {"trainer": MISSING, "admin": MISSING}),
    # Missions' team: any trainer lists them; a mission's hub is its own trainers' and administrators' (the sample
    # activity has no trainer, and is no mission: a 404 for an administrator).
    "mission_team.missions": (("trainer",), "GET", {}, {}),
    "mission_team.mission": (("trainer",), "GET", {"activity_id": "activity"}, {"trainer": FORBIDDEN, "admin": MISSING}),
    "mission_team.add_member": (("trainer",), "POST", {"activity_id": "activity"},
                                {"trainer": FORBIDDEN, "admin": MISSING}),
    "mission_team.remove_member": (("trainer",), "POST", {"activity_id": "activity", "member_id": 0},
                                   {"trainer": FORBIDDEN, "admin": MISSING}),
    # Mentoring pairs: the sample pair is active, the learner its mentee, the trainer its trainer; a focal point
    # (even of the mentee's parliament) never opens it (404), and an administrator who is not its trainer sees the
    # pair but not its log. POSTs without their fields go back to the pair with a message (tests/mentoring).
    "mentoring.mine": (AUTHENTICATED, "GET", {}, {}),
    "mentoring.request_mentor": (("focal_point",), "GET", {}, {"admin": FORBIDDEN}),
    "mentoring.pair": (AUTHENTICATED, "GET", {"pair_id": "mentoring_pair"}, {"focal_point": MISSING}),
    **{f"mentoring.{name}": (AUTHENTICATED, "POST", {"pair_id": "mentoring_pair"},
                             {"learner": AWAY, "focal_point": MISSING, "trainer": AWAY, "admin": AWAY})
       for name in ("accept", "decline", "review")},
    "mentoring.objective": (AUTHENTICATED, "POST", {"pair_id": "mentoring_pair", "objective_id": "mentoring_objective"},
                            {"learner": AWAY, "focal_point": MISSING, "trainer": AWAY, "admin": AWAY}),
    "mentoring.add_note": (AUTHENTICATED, "POST", {"pair_id": "mentoring_pair"},
                           {"learner": AWAY, "focal_point": MISSING, "trainer": AWAY, "admin": MISSING}),
    "mentoring.pairs_list": (("trainer",), "GET", {}, {}),
    "mentoring.propose": (("trainer",), "GET", {}, {}),
    "mentoring.edit": (("trainer",), "GET", {"pair_id": "mentoring_pair"}, {}),
    **{f"mentoring.{name}": (("trainer",), "POST", {"pair_id": "mentoring_pair"}, {"trainer": AWAY, "admin": AWAY})
       for name in ("take_up", "withdraw", "end")},  # "end" last: it ends the sample pair
    # Remote assistance: the sample question is a colleague's of the learner's parliament, so the learner gets a 404,
    # the parliament's focal point reads it but may not reply (403), the unit reads, replies and closes it.
    "assistance.questions": (AUTHENTICATED, "GET", {}, {}),
    "assistance.ask": (AUTHENTICATED, "GET", {}, {"trainer": FORBIDDEN, "admin": FORBIDDEN}),
    "assistance.question": (AUTHENTICATED, "GET", {"question_id": "assistance_question"}, {"learner": MISSING}),
    "assistance.attachment": (AUTHENTICATED, "GET", {"attachment_id": "assistance_attachment"}, {"learner": MISSING}),
    "assistance.queue": (("trainer",), "GET", {}, {}),
    # An empty reply or choice is sent back with its error; the question is not answered, so not publishable.
    "assistance.reply": (AUTHENTICATED, "POST", {"question_id": "assistance_question"},
                         {"learner": MISSING, "focal_point": FORBIDDEN, "trainer": 400, "admin": 400}),
    "assistance.assign": (("trainer",), "POST", {"question_id": "assistance_question"}, {"trainer": 400, "admin": 400}),
    "assistance.publish": (("trainer",), "GET", {"question_id": "assistance_question"}, {"trainer": AWAY, "admin": AWAY}),
    "assistance.close": (AUTHENTICATED, "POST", {"question_id": "assistance_question"},
                         {"learner": MISSING, "focal_point": FORBIDDEN, "trainer": AWAY, "admin": AWAY}),
    # Check-in: the activity's trainers (the sample activity has none), administrators and its own helpers
    # (tests/onsite/test_check_in_access.py has helpers of this and other activities). An empty code goes back to
    # the page; an empty JSON body is malformed (422); anonymous scanners are answered in JSON (401).
    "check_in.page": (AUTHENTICATED, "GET", {"activity_id": "activity"},
                      {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": FORBIDDEN}),
    "check_in.scan": (AUTHENTICATED, "POST", {"activity_id": "activity"},
                      {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": FORBIDDEN, "admin": AWAY}),
    "check_in.scans": (AUTHENTICATED, "POST", {"activity_id": "activity"},
                       {"anonymous": 401, "learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": FORBIDDEN,
                        "admin": 422}),
    "check_in.helpers": (AUTHENTICATED, "GET", {"activity_id": "activity"},
                         {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": FORBIDDEN}),
    "check_in.add": (AUTHENTICATED, "POST", {"activity_id": "activity"},
                     {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": FORBIDDEN, "admin": 422}),
    "check_in.remove": (AUTHENTICATED, "POST", {"activity_id": "activity", "helper_id": 0},
                        {"learner": FORBIDDEN, "focal_point": FORBIDDEN, "trainer": FORBIDDEN, "admin": MISSING}),
    # Last: it cancels the sample activity.
    "scheduling_admin.cancel_activity": (("trainer",), "POST", {"activity_id": "activity"},
                                         {"trainer": AWAY, "admin": AWAY}),
}


def _api_resource(app, endpoint) -> bool:
    """JSON API resources check a scope per method: tests/api/test_api_access.py holds their matrix."""
    from elearn.api.auth import API_ACCESS_RULE

    return getattr(app.view_functions[endpoint], "access_rule", None) == API_ACCESS_RULE


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint != "static" and not _api_resource(app, rule.endpoint)}
    assert endpoints - MATRIX.keys() == set(), "new routes need a line in MATRIX"
    assert MATRIX.keys() - endpoints == set(), "MATRIX names routes that no longer exist"


def test_declared_rules_match_the_matrix(app):
    for endpoint, (rule, *_rest) in MATRIX.items():
        assert app.view_functions[endpoint].access_rule == rule, endpoint


@pytest.fixture
def sample_objects(app, people):
    from elearn.api.scopes import Scope
    from elearn.api.tokens import create_token
    from elearn.extensions import db
    from elearn.mail.services import queue_mail
    from elearn.notifications.models import OptionalMail
    from elearn.notifications.services import unsubscribe_token
    from elearn.scheduling.models import Registration, RegistrationState
    from tests.learning.factories import complete_course, make_course, png_bytes
    from tests.scheduling.factories import make_activity, make_programme

    api_token = create_token(people["learner"], "HR system", [Scope.READ_SELF], 30).token
    from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription

    webhook = WebhookSubscription(owner_id=people["learner"].id, name="HR system", url="https://hr.example.org/h",
                                  secret="whsec_c2VjcmV0", events="registration.confirmed")
    db.session.add(webhook)
    db.session.flush()
    webhook_delivery = WebhookDelivery(subscription_id=webhook.id, event=WebhookEvent.REGISTRATION_CONFIRMED,
                                       event_id="msg_sample", payload={}, status=DeliveryStatus.FAILED, attempts=8)
    db.session.add(webhook_delivery)
    db.session.commit()
    message = queue_mail(to="x@example.org", template="invitation", locale="en",
                         person=people["learner"], invited_by=None, link="http://x", days=3)
    activity = make_activity(capacity=5, programme=make_programme())
    registration = Registration(activity=activity, person=people["learner"], state=RegistrationState.CONFIRMED)
    db.session.add(registration)
    db.session.commit()
    # No self-enrolment: the matrix's POST to learning.enrol must not enrol the other roles.
    course = make_course(lessons=2, questions=1, assets={"diagram.png": png_bytes()}, self_enrolment=False)
    enrolment, attempt = complete_course(people["learner"], course)
    from tests.cooperation.factories import make_plan, make_request

    needs_request = make_request(people["focal_point"])
    from elearn.database import utcnow
    from elearn.people.sign_in_models import SignInDevice

    device = SignInDevice(person=people["learner"], secret_hash="0" * 64, label="Firefox on Linux",
                          trusted_until=utcnow() + timedelta(days=1))
    db.session.add(device)
    db.session.commit()
    plan = make_plan(activity, people["learner"].parliament)
    from elearn.delegations import calls, costs

    cost_lines = [costs.add_line(activity, costs.CostInput(category="venue", payer="ministry", planned_amount="10",
                                                           currency="EUR"), people["admin"]) for _ in range(2)]

    call = calls.save_call(activity, calls.CallInput(opens_at=utcnow() - timedelta(days=1),
                                                     deadline=utcnow() + timedelta(days=5),
                                                     standard_questions=("motivation",)),
                           calls.TargetInput(), actor=None)
    application = calls.apply(call, people["learner"], {"motivation": "To learn."})
    from elearn.evaluation import gain

    gain.set_test(activity, course.quiz.id, None)
    from elearn.delegations import agenda, institutions
    from elearn.delegations.agenda_models import InstitutionKind

    institution = institutions.save_institution(institutions.InstitutionInput(name="Senate",
                                                                              kind=InstitutionKind.UPPER_HOUSE))
    from elearn.evaluation import indicators as indicator_service

    indicator = indicator_service.save_indicator(activity.programme, indicator_service.IndicatorInput(
        title="Participants", measure="participants", target_value=10))
    session = activity.sessions[0]
    agenda_item = agenda.create_item(activity, agenda.AgendaItemInput(
        session_id=session.id, day=session.local_start.date(), start_time=session.local_start.time(),
        end_time=session.local_end.time(), title="Meeting", institution_id=institution.id))
    from elearn.evaluation import attaching
    from elearn.evaluation import questionnaires as evaluation
    from elearn.evaluation.models import QuestionKind

    questionnaire = evaluation.create_questionnaire(evaluation.QuestionnaireInput(title={"en": "Evaluation"}))
    question = evaluation.add_question(questionnaire, evaluation.QuestionInput(QuestionKind.TEXT, {"en": "Why?"}))
    attaching.attach(activity, questionnaire.id)
    from elearn.missions import terms as mission_terms
    from elearn.scheduling.models import Modality

    mission = make_activity(modality=Modality.NEEDS_ASSESSMENT_MISSION, host_parliament_id=people["learner"].parliament_id)
    mission_terms.save_terms(mission, mission_terms.TermsInput(objectives="Assess the library"), people["admin"])
    from elearn.missions.models import ExpertProfile
    from tests.factories import make_parliament, make_person

    expert = make_person(parliament=make_parliament(gives_assistance=True))
    expert_profile = ExpertProfile(person_id=expert.id, summary="Budget")
    db.session.add(expert_profile)
    db.session.commit()
    import io

    from elearn.documents import services as documents

    with app.test_request_context():
        sample_documents = [documents.add_document(activity, documents.Upload(title, "agenda.pdf", io.BytesIO(
            b"%PDF-1.7\n%%EOF\n")), people["admin"]) for title in ("Agenda", "Minutes")]
    return {"learner": people["learner"].id, "parliament": people["learner"].parliament_id,
            **peer_exchange_samples(people),
            "questionnaire": questionnaire.id, "question": question.id,
            "mission": mission.id,
            "message": message.id, "activity": activity.id, "registration": registration.id,
            "session": activity.sessions[0].id, "programme": activity.programme_id,
            "course": course.slug, "lesson": course.lessons[0].slug, "asset": "diagram.png",
            "attempt": attempt.id, "certificate": enrolment.certificate.code,
            "request": needs_request.id, "plan": plan.id, "commitment": plan.commitments[0].id,
            "review": plan.reviews[0].id, "cost_line": cost_lines[0].id, "other_cost_line": cost_lines[1].id,
            "device": device.id, "programme_slug": activity.programme.slug, "api_token": api_token.id, "webhook_subscription": webhook.id,
            "webhook_delivery": webhook_delivery.id,
            "unsubscribe_token": unsubscribe_token(people["learner"].id, OptionalMail.DIGEST),
            "call": call.id, "application": application.id,
            "institution": institution.id, "agenda_item": agenda_item.id, "indicator": indicator.id,
            "expert_profile": expert_profile.id,
            "document": sample_documents[0].id, "other_document": sample_documents[1].id}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, login_as, sample_objects, role):
    client = app.test_client() if role == "anonymous" else login_as(role)
    failures = []
    # Signing out last, or every later line would be checked as anonymous.
    order = sorted(MATRIX, key=lambda endpoint: endpoint == "accounts.logout")
    for endpoint in order:
        rule, method, arguments, overrides = MATRIX[endpoint]
        values = {name: sample_objects.get(value, value) for name, value in arguments.items()}
        with app.test_request_context():
            from flask import url_for
            url = url_for(endpoint, **values)
        expected = overrides.get(role, outcome_for(rule, role))
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": csrf_token(client, "/account/forgot")})
        if expected == LOGIN:
            good = response.status_code == 302 and "/account/login" in response.headers["Location"]
        else:
            good = response.status_code == expected
        if not good:
            failures.append(f"{method} {url}: expected {expected}, got {response.status_code}")
    assert not failures, f"as {role}:\n" + "\n".join(failures)


def test_forbidden_page_explains_and_uses_the_layout(login_as):
    response = login_as("learner").get("/admin/people")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You do not have access to this page" in page
    assert 'href="#main"' in page  # the site's layout, with its skip link
