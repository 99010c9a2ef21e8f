"""The public home page: what a visitor who is not signed in learns there, in a constant number of queries."""
from elearn.demo.schedule import _more_activities
from elearn.extensions import db
from elearn.scheduling.models import ActivityStatus
from tests.factories import make_parliament
from tests.helpers import count_queries, text
from tests.learning.factories import make_course
from tests.scheduling.factories import make_activity, one_session


def section(page: str, heading_id: str) -> str:
    """The text of one <section> of the home page, found by its heading's id."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start:page.index("</section>", start)]


def test_a_visitor_sees_upcoming_published_activities_with_date_and_place(client):
    make_activity(title="Seminar on budget oversight", sessions=one_session(days_ahead=10), venue_name="Room B",
                  venue_city="Banjul", venue_country="GM", timezone="Africa/Banjul")
    make_activity(title="Draft workshop", status=ActivityStatus.DRAFT)
    make_activity(title="Cancelled briefing", status=ActivityStatus.CANCELLED)
    make_activity(title="Remote hearing practice", venue_name="", venue_city="", online_url="https://meet.example/x")
    page = section(text(client.get("/")), "home-activities")
    assert "Seminar on budget oversight" in page and "Room B, Banjul, Gambia" in page
    assert "Remote hearing practice" in page and "Online" in page
    assert "meet.example" not in page  # the join link is for confirmed participants only
    assert "Draft workshop" not in page and "Cancelled briefing" not in page
    assert "Times are given in UTC" in page
    assert 'href="/activities">See all 2 upcoming activities' in page


def test_only_the_next_six_activities_are_listed_soonest_first(client):
    for days in (30, 5, 20, 10, 25, 15, 35):
        make_activity(title=f"In {days} days", sessions=one_session(days_ahead=days))
    page = section(text(client.get("/")), "home-activities")
    positions = [page.index(f"In {days} days") for days in (5, 10, 15, 20, 25, 30)]
    assert positions == sorted(positions) and "In 35 days" not in page
    assert "See all 7 upcoming activities" in page


def test_a_visitor_sees_published_courses_with_summary_and_lesson_count(client):
    make_course("committee-work", title={"en": "Committee work", "fr": "Le travail en commission"}, lessons=4)
    hidden = make_course("hidden-course", title={"en": "Unfinished course", "fr": "Cours inachevé"})
    hidden.published = False
    db.session.commit()
    page = section(text(client.get("/")), "home-courses")
    assert "Committee work" in page and "A summary in en about committee work." in page and "4 lessons" in page
    assert "Unfinished course" not in page
    assert 'href="/courses">See the course' in page


def test_partner_parliaments_in_the_readers_names_and_the_calendar_address(client):
    make_parliament(name_en="Parliament of Malawi", name_fr="Parlement du Malawi")
    make_parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie")
    make_parliament(name_en="French Senate", name_fr="Sénat (France)", receives_assistance=False)
    english = text(client.get("/"))
    partners = section(english, "home-partners")
    assert partners.index("National Assembly of The Gambia") < partners.index("Parliament of Malawi")
    assert "French Senate" not in partners
    calendar = section(english, "home-calendar")
    assert 'value="http://hemicycle.test/calendar.ics"' in calendar
    assert 'href="webcal://hemicycle.test/calendar.ics"' in calendar and 'href="/calendar"' in calendar

    french = text(client.get("/", headers={"Accept-Language": "fr"}))
    partners = section(french, "home-partners")
    assert partners.index("Assemblée nationale de Gambie") < partners.index("Parlement du Malawi")
    assert "Parlements partenaires" in partners
    assert 'value="http://hemicycle.test/calendar.ics?locale=fr"' in section(french, "home-calendar")
    assert "Ne suivre que certaines activités : par thème" in french and "Voir le cours" not in french


def test_the_home_page_runs_the_same_queries_for_10_and_1000_activities(client):
    make_course("committee-work")
    make_parliament()
    _more_activities(10, {})
    with count_queries() as small:
        client.get("/")
    _more_activities(990, {})
    with count_queries() as large:
        page = text(client.get("/"))
    assert "See all 1000 upcoming activities" in page
    assert large.count == small.count, (small.count, large.count)


def test_a_visitors_browser_may_keep_the_page_a_minute_but_no_shared_cache(client):
    response = client.get("/")
    assert response.headers["Cache-Control"] == "private, max-age=60"
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


def test_a_past_activity_is_not_upcoming(client):
    make_activity(title="Last year's seminar", sessions=one_session(days_ahead=-400))
    page = section(text(client.get("/")), "home-activities")
    assert "Last year's seminar" not in page and "No activity is scheduled at the moment." in page
