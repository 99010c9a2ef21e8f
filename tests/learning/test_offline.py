"""Reading a course offline, over HTTP: the manifest of what the browser saves, the service worker and its
offline page, and the lessons marked done offline, recorded once whatever is sent again."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning import importing
from elearn.learning.lookups import active_lessons, done_lesson_ids
from elearn.learning.models import Certificate, LessonProgress
from tests.helpers import csrf_token, text
from tests.learning.factories import enrol, make_course, png_bytes, right_answers, write_course

MANIFEST = "/courses/committee-work/offline.json"
PROGRESS = "/courses/committee-work/offline-progress"


@pytest.fixture
def course(app, people):
    course = make_course("committee-work", lessons=3, questions=1, assets={"diagram.png": png_bytes()})
    enrol(people["learner"], course)
    return course


def send(client, lessons, *, token=None, path=PROGRESS):
    token = token if token is not None else client.get(MANIFEST).get_json()["csrf_token"]
    return client.post(path, json={"lessons": lessons}, headers={"X-CSRFToken": token})


def entry(lesson, number=1, done_at=None):
    return {"id": f"entry-{number}", "lesson": lesson, "done_at": done_at or utcnow().isoformat()}


def progress_rows(course) -> int:
    return db.session.scalar(select(func.count(LessonProgress.id)).join(LessonProgress.lesson)
                             .where(LessonProgress.lesson.has(course_id=course.id)))


def test_the_manifest_lists_every_page_file_and_style_a_lesson_needs(course, login_as):
    learner = login_as("learner")
    response = learner.get(MANIFEST)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    manifest = response.get_json()
    lessons = [f"/courses/committee-work/lessons/lesson-{n}" for n in (1, 2, 3)]
    assert manifest["urls"][:6] == ["/courses/committee-work", *lessons, "/courses/committee-work/quiz",
                                    "/courses/offline.html"]
    assert manifest["course"] == "committee-work" and manifest["title"] == "Sample course committee-work"
    assert manifest["progress_url"] == PROGRESS and manifest["csrf_token"]
    # Everything saved answers this learner, and every file a saved page loads is saved with it.
    for url in manifest["urls"]:
        assert learner.get(url).status_code == 200, url
    for page in [*lessons, "/courses/committee-work", "/courses/committee-work/quiz", "/courses/offline.html"]:
        body = text(learner.get(page))
        loaded = re.findall(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"', body)
        resolved = {re.sub(r"^\.\./", "/courses/committee-work/", url) for url in loaded}
        assert resolved <= set(manifest["urls"]), (page, resolved - set(manifest["urls"]))
    assert "/courses/committee-work/assets/diagram.png?v=" in " ".join(manifest["urls"])


def test_the_version_follows_the_course_files_and_the_language(app, course, login_as, people, tmp_path):
    learner = login_as("learner")
    first = learner.get(MANIFEST).get_json()
    assert learner.get(MANIFEST).get_json()["version"] == first["version"]  # stable while nothing changes
    people["learner"].preferred_language = "fr"  # the pages saved are in the reader's language
    db.session.commit()
    french = learner.get(MANIFEST).get_json()
    assert french["version"] != first["version"] and french["title"] == "Cours d'exemple committee-work"
    people["learner"].preferred_language = "en"
    db.session.commit()

    folder = write_course(tmp_path, "committee-work", lessons=3, questions=1, assets={"diagram.png": png_bytes()})
    lesson = folder / "02-lesson-2.en.md"
    lesson.write_text(lesson.read_text() + "\nA paragraph added since.\n")
    importing.import_path(tmp_path)
    assert learner.get(MANIFEST).get_json()["version"] != first["version"]


def test_only_enrolled_learners_get_a_manifest(course, login_as, client):
    for role in ("focal_point", "trainer", "admin"):
        assert login_as(role).get(MANIFEST).status_code == 403, role
    assert client.get(MANIFEST).status_code == 302  # to the sign-in page
    assert login_as("learner").get("/courses/no-such-course/offline.json").status_code == 404


def test_lessons_done_offline_are_recorded_once(course, login_as):
    learner = login_as("learner")
    yesterday = utcnow() - timedelta(days=1)
    first = send(learner, [entry("lesson-1", 1, yesterday.isoformat()), entry("lesson-2", 2)])
    assert first.status_code == 200
    assert [(r["id"], r["outcome"]) for r in first.get_json()["results"]] == [("entry-1", "recorded"),
                                                                             ("entry-2", "recorded")]
    # Sent again (a lost answer, a second tab), and the same lesson twice in one sending: nothing counted twice.
    again = send(learner, [entry("lesson-1", 1), entry("lesson-2", 3), entry("lesson-2", 4)])
    assert [r["outcome"] for r in again.get_json()["results"]] == ["already", "already", "already"]
    assert progress_rows(course) == 2
    read_at = db.session.scalar(select(LessonProgress.completed_at).join(LessonProgress.lesson)
                                .where(LessonProgress.lesson.has(slug="lesson-1")))
    assert abs(read_at - max(yesterday, course_enrolled_at(course))) < timedelta(seconds=1)


def course_enrolled_at(course):
    from elearn.learning.models import Enrolment

    return db.session.scalar(select(Enrolment.enrolled_at).where(Enrolment.course_id == course.id))


def test_a_browser_clock_cannot_date_progress_in_the_future_or_before_the_enrolment(course, login_as):
    learner = login_as("learner")
    send(learner, [entry("lesson-1", 1, (utcnow() + timedelta(days=30)).isoformat()),
                   entry("lesson-2", 2, "2001-01-01T00:00:00+00:00")])
    times = dict(db.session.execute(select(LessonProgress.lesson_id, LessonProgress.completed_at)).all())
    lessons = {lesson.slug: lesson.id for lesson in active_lessons(course)}
    assert times[lessons["lesson-1"]] <= utcnow()
    assert times[lessons["lesson-2"]] == course_enrolled_at(course)


def test_the_last_lesson_sent_completes_the_course(course, login_as, people):
    learner = login_as("learner")
    from elearn.learning.lookups import enrolment_for
    from elearn.learning.quizzes import submit_quiz

    submit_quiz(enrolment_for(people["learner"], course), right_answers(course))
    answer = send(learner, [entry(f"lesson-{n}", n) for n in (1, 2, 3)]).get_json()
    assert answer["completed"] is True and answer["certificate_url"] == "/courses/committee-work/certificate"
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    assert send(learner, [entry("lesson-3", 9)]).get_json()["completed"] is False
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_a_lesson_of_another_course_is_refused_and_nothing_of_it_recorded(course, login_as, people):
    other = make_course("legislative-procedure", lessons=4, questions=0)
    enrol(people["learner"], other)
    learner = login_as("learner")
    answer = send(learner, [entry("lesson-4", 1), entry("lesson-1", 2)]).get_json()
    assert [(r["lesson"], r["outcome"], r["reason"]) for r in answer["results"]] == [
        ("lesson-4", "refused", "not_in_course"), ("lesson-1", "recorded", "")]
    assert progress_rows(other) == 0 and progress_rows(course) == 1


def test_a_lesson_withdrawn_from_the_course_since_is_refused(app, course, login_as, tmp_path):
    write_course(tmp_path, "committee-work", lessons=2, questions=1, assets={"diagram.png": png_bytes()})
    importing.import_path(tmp_path)  # lesson 3 is retired
    answer = send(login_as("learner"), [entry("lesson-3", 1)]).get_json()
    assert answer["results"][0]["outcome"] == "refused" and progress_rows(course) == 0


def test_people_not_enrolled_cannot_send_progress(course, login_as, client):
    for role in ("focal_point", "trainer", "admin"):
        someone = login_as(role)
        response = send(someone, [entry("lesson-1")], token=csrf_token(someone))
        assert response.status_code == 403, role
    anonymous = client.post(PROGRESS, json={"lessons": [entry("lesson-1")]}, headers={"X-CSRFToken": csrf_token(client)})
    assert anonymous.status_code == 302
    assert progress_rows(course) == 0


def test_progress_needs_the_sessions_csrf_token_and_the_scripts_shape(course, login_as):
    learner = login_as("learner")
    assert send(learner, [entry("lesson-1")], token="").status_code == 400
    assert send(learner, [entry("lesson-1")], token="not-a-token").status_code == 400
    for body in ({"lessons": "lesson-1"}, {"lessons": [{"id": "", "lesson": "lesson-1"}]},
                 {"lessons": [{"id": "x", "lesson": "lesson-1", "done_at": "yesterday"}]},
                 {"lessons": [{"id": "x", "lesson": "lesson-1", "done_at": "2025-12-07T14:05:00"}]},  # no offset
                 {"lessons": [{"id": "x" * 65, "lesson": "lesson-1"}]}):
        token = learner.get(MANIFEST).get_json()["csrf_token"]
        response = learner.post(PROGRESS, json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 400 and response.get_json()["error"], body
    assert progress_rows(course) == 0
    # Without done_at, the lesson is done now.
    assert send(learner, [{"id": "x", "lesson": "lesson-1"}]).get_json()["results"][0]["outcome"] == "recorded"
    assert done_lesson_ids(course_enrolment(course)) == {active_lessons(course)[0].id}


def course_enrolment(course):
    from elearn.learning.models import Enrolment

    return db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id))


def test_the_service_worker_is_served_for_the_course_pages_and_revalidated(client):
    response = client.get("/courses/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    # The site's policy lets a page of ours register it (worker-src falls back to script-src, then default-src).
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert 'const FALLBACK = "/courses/offline.html";' in text(response)
    again = client.get("/courses/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_offline_page_is_in_the_readers_language(client):
    page = text(client.get("/courses/offline.html", headers={"Accept-Language": "fr"}))
    assert "Vous êtes hors ligne" in page and 'id="offline-courses"' in page


def test_the_offline_button_is_only_for_enrolled_learners(course, login_as, client):
    page = text(login_as("learner").get("/courses/committee-work"))
    assert 'id="offline-panel" hidden' in page and "/static/js/offline.js" in page
    lesson = text(login_as("learner").get("/courses/committee-work/lessons/lesson-1"))
    assert 'data-lesson="lesson-1"' in lesson and 'id="offline-done-status"' in lesson
    for someone in (client, login_as("trainer")):  # a trainer previews lessons without being enrolled
        assert "offline-panel" not in text(someone.get("/courses/committee-work"))
    assert "offline-panel" not in text(login_as("trainer").get("/courses/committee-work/lessons/lesson-1"))


def test_the_same_lessons_sent_from_six_tabs_at_once_are_counted_once(app, people):
    """Threads with their own sessions and connections, as the server's workers: SQLite and PostgreSQL."""
    import threading

    from elearn.learning import offline
    from elearn.learning.models import Enrolment

    course = make_course("committee-work", lessons=3, questions=0)
    enrolment_id = enrol(people["learner"], course).id
    db.session.commit()  # nothing of ours may hold a lock while the threads run
    threads, start, outcomes = 6, threading.Barrier(6), []
    queued = [offline.QueuedLesson(f"entry-{n}", f"lesson-{n}", None) for n in (1, 2, 3)]

    def send_all():
        with app.app_context():
            try:
                enrolment = db.session.get(Enrolment, enrolment_id)
                start.wait(timeout=60)
                recorded = offline.record_queue(enrolment, queued)
                outcomes.append(([r.outcome for r in recorded.results], recorded.completed))
            except Exception as error:  # reported by the assertion below
                outcomes.append((f"{type(error).__name__}: {error}", False))
            finally:
                db.session.remove()

    running = [threading.Thread(target=send_all) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout=60)
    assert sorted(outcomes, key=repr) == [(["already"] * 3, False)] * (threads - 1) + [(["recorded"] * 3, True)]
    assert progress_rows(course) == 3 and db.session.scalar(select(func.count(Certificate.id))) == 1
