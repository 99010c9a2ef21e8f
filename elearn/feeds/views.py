"""Calendar feeds over HTTP (public, per programme, per activity, personal) and the pages that explain them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from elearn.access import login_required, public
from elearn.database import utcnow
from elearn.extensions import db, limiter
from elearn.feeds import filters as calendar_filters
from elearn.feeds import services
from elearn.feeds.cache import Feed, feed_site, serve
from elearn.feeds.forms import AddressForm, OptionsForm
from elearn.feeds.queries import Selection, window_end, window_start
from elearn.forms import SimpleActionForm
from elearn.i18n import by_name
from elearn.languages import CONTENT_LANGUAGES, interface_locale
from elearn.learning.models import Course
from elearn.people.models import Parliament
from elearn.scheduling.display import Wording, calendar_wording
from elearn.scheduling.ical import FeedInfo
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Audience, Modality, Programme
from elearn.scheduling.queries import ActivityFilters
from elearn.security import sessionless, uncompressed
from elearn.topics import Topic
from elearn.urls import absolute_url

bp = Blueprint("feeds", __name__)

# The new secret address rides in the session only from the POST that made it
# to the page that shows it once.
NEW_SECRET = "feed_secret_once"


@dataclass(frozen=True)
class FeedTexts:
    """The feeds' sentences in one language, translated once per process.

    Name templates keep their %(...)s placeholders (gettext formats only when it
    is given values), so answering a feed request never calls gettext.
    """

    wording: Wording
    calendar: str
    selection: str
    calendar_about: str
    programme: str
    programme_about: str
    activity_about: str
    course: str
    course_about: str
    calendar_about_open: str     # the same three, for a window with no end (FEED_FUTURE_DAYS = 0)
    programme_about_open: str
    course_about_open: str
    personal: str
    personal_about: str


@lru_cache(maxsize=8)
def feed_texts(locale: str) -> FeedTexts:
    with force_locale(locale):
        return FeedTexts(
            wording=calendar_wording(locale),
            calendar=_("Hemicycle activities"),
            selection=_("Hemicycle activities (selection)"),
            calendar_about=_("Seminars, workshops, visits and missions of inter-parliamentary cooperation: "
                             "the next %(ahead)d days and the last %(days)d days."),
            programme=_("Hemicycle: %(programme)s"),
            programme_about=_("Activities of the programme “%(programme)s”: the next %(ahead)d days and the "
                              "last %(days)d days."),
            activity_about=_("Every session of “%(title)s”."),
            course=_("Hemicycle: live sessions of %(course)s"),
            course_about=_("Live sessions of the e-learning course “%(course)s”: the next %(ahead)d days and "
                           "the last %(days)d days."),
            calendar_about_open=_("Seminars, workshops, visits and missions of inter-parliamentary cooperation: "
                                  "what is coming and the last %(days)d days."),
            programme_about_open=_("Activities of the programme “%(programme)s”: what is coming and the last "
                                   "%(days)d days."),
            course_about_open=_("Live sessions of the e-learning course “%(course)s”: what is coming and the "
                                "last %(days)d days."),
            personal=_("Hemicycle: my activities"),
            personal_about=_("The activities you take part in or teach: what is coming and the last "
                             "%(days)d days."),
        )


def feed_info(name: str, description: str, locale: str) -> FeedInfo:
    site = feed_site()

    def activity_url(activity_id: int) -> str:
        return site.adapter.build("scheduling.activity", {"activity_id": activity_id}, force_external=True)

    return FeedInfo(name=name, description=description, host=site.host, activity_url=activity_url,
                    wording=feed_texts(locale).wording)


def not_found() -> Response:
    """A plain 404: calendar apps cannot use a page, and nothing here may touch the session."""
    return Response("Not found\n", status=404, mimetype="text/plain")


def subscription_links(https_url: str) -> dict[str, str]:
    return {"https": https_url, "webcal": "webcal://" + https_url.split("://", 1)[1]}


def public_calendar_links(locale: str) -> dict[str, str]:
    """The whole public calendar's addresses, its events worded in `locale` (as /calendar gives them unfiltered)."""
    locale = interface_locale(locale)
    query = "" if locale == current_app.config["BABEL_DEFAULT_LOCALE"] else "?" + urlencode({"locale": locale})
    return subscription_links(absolute_url("feeds.calendar_ics") + query)


@dataclass(frozen=True)
class Window:
    """A public feed's sessions: from `since` to `until` (None: no end), and the days that says."""

    since: datetime
    until: datetime | None
    past_days: int
    future_days: int

    def about(self, texts: FeedTexts, kind: str, **values) -> str:
        bounded = self.until is not None
        template = getattr(texts, f"{kind}_about" if bounded else f"{kind}_about_open")
        return template % {**values, "days": self.past_days, "ahead": self.future_days}


def public_window() -> Window:
    now, config = utcnow(), current_app.config
    past, future = int(config["FEED_PAST_DAYS"]), int(config["FEED_FUTURE_DAYS"])
    return Window(since=window_start(now, past), until=window_end(now, future), past_days=past, future_days=future)


# Feeds ---------------------------------------------------------------------

FEED_ENDPOINTS = frozenset({"feeds.calendar_ics", "feeds.programme_ics", "feeds.course_ics", "feeds.activity_ics",
                            "feeds.personal_ics"})


@limiter.request_filter
def _feeds_skip_the_request_limiter() -> bool:
    """Feed routes carry no Flask-Limiter limit (their renders are counted in limits.py): skip its check."""
    return request.endpoint in FEED_ENDPOINTS


# Calendar feeds as built for a query string, per process and day: subscribers poll the
# same few addresses, and building one costs more than answering its 304. A Feed holds no
# rows, only what the query string means (filters, window, wording): its rows, versions and
# cached body are read from the database on every request, so every process answers alike.
KNOWN_CALENDARS = 256


@bp.get("/calendar.ics")
@sessionless
@public
def calendar_ics():
    known = current_app.extensions.setdefault("hemicycle.calendar_feeds", {})
    memo = (request.query_string, utcnow().date())
    feed = known.get(memo)
    if feed is None:
        try:
            feed = calendar_feed()
        except calendar_filters.FilterError as error:
            return calendar_filters.bad_request(str(error))
        if len(known) >= KNOWN_CALENDARS:
            known.clear()
        known[memo] = feed
    return serve(feed)


def calendar_feed() -> Feed:
    """The public calendar's feed for this request's filters and locale (FilterError if a filter names nothing)."""
    chosen = calendar_filters.parse(request.args)
    locale = interface_locale(request.args.get("locale"))
    texts = feed_texts(locale)
    window = public_window()
    name = texts.selection if chosen.params else texts.calendar
    feed = Feed(identity="calendar?" + urlencode([*chosen.params, ("locale", locale)]),
                selection=Selection(filters=chosen.filters, since=window.since, until=window.until),
                info=feed_info(name, window.about(texts, "calendar"), locale), filename="hemicycle.ics",
                check=lambda: _refuse_unknown(chosen.filters))
    return feed


def _refuse_unknown(filters: ActivityFilters) -> Response | None:
    unknown = calendar_filters.unknown_references(filters)
    return calendar_filters.bad_request(unknown) if unknown else None


@bp.get("/programmes/<slug>/calendar.ics")
@sessionless
@public
def programme_ics(slug: str):
    programme = db.session.execute(select(Programme.id, Programme.title).where(Programme.slug == slug)).first()
    if programme is None:
        return not_found()
    locale = interface_locale(request.args.get("locale"))
    texts = feed_texts(locale)
    window = public_window()
    name = texts.programme % {"programme": programme.title}
    description = window.about(texts, "programme", programme=programme.title)
    feed = Feed(identity=f"programme:{programme.id}?locale={locale}",
                selection=Selection(programme_id=programme.id, since=window.since, until=window.until),
                info=feed_info(name, description, locale), filename=f"hemicycle-{slug}.ics")
    return serve(feed)


@bp.get("/courses/<slug>/calendar.ics")
@sessionless
@public
def course_ics(slug: str):
    course = db.session.scalar(select(Course).where(Course.slug == slug, Course.published.is_(True)))
    if course is None:
        return not_found()
    locale = interface_locale(request.args.get("locale"))
    texts = feed_texts(locale)
    title = course.title_in(locale)
    window = public_window()
    feed = Feed(identity=f"course:{course.id}?locale={locale}",
                selection=Selection(course_id=course.id, since=window.since, until=window.until),
                info=feed_info(texts.course % {"course": title}, window.about(texts, "course", course=title), locale),
                filename=f"hemicycle-course-{slug}.ics")
    return serve(feed)


@bp.get("/activities/<int:activity_id>.ics")
@sessionless
@public
def activity_ics(activity_id: int):
    activity = db.session.execute(select(Activity.title, Activity.status).where(Activity.id == activity_id)).first()
    if activity is None or activity.status == ActivityStatus.DRAFT:
        return not_found()
    locale = interface_locale(request.args.get("locale"))
    description = feed_texts(locale).activity_about % {"title": activity.title}
    feed = Feed(identity=f"activity:{activity_id}?locale={locale}", selection=Selection(activity_id=activity_id),
                info=feed_info(activity.title, description, locale), filename=f"activity-{activity_id}.ics")
    return serve(feed)


@bp.get("/feeds/<token>.ics")
@sessionless
@public
def personal_ics(token: str):
    # No current_user, no flash, no error page: a calendar app has no session, and a
    # browser's is neither read nor saved here (sessionless).
    found = services.find_person_token(token)
    if found is None:
        return not_found()
    locale = interface_locale(found.person.preferred_language)
    texts = feed_texts(locale)
    past_days = int(current_app.config["FEED_PAST_DAYS"])
    name, description = texts.personal, texts.personal_about % {"days": past_days}
    feed = Feed(identity=services.personal_feed_identity(found.id),
                selection=Selection(person_id=found.person_id, include_tentative=found.include_tentative,
                                    since=window_start(utcnow(), past_days)),
                info=feed_info(name, description, locale), filename="hemicycle-my-activities.ics",
                personal=True, options=f"{locale}|{found.include_tentative}", locale=locale)
    return serve(feed)


# Pages ---------------------------------------------------------------------

@bp.get("/calendar")
@public
def calendar_page():
    filters = ActivityFilters.from_args(request.args)
    params = calendar_filters.params_of(filters)
    # The feed's own words: as asked on the form, else the page's language.
    locale = interface_locale(request.args.get("locale") or str(get_locale()))
    if locale != current_app.config["BABEL_DEFAULT_LOCALE"]:
        params.append(("locale", locale))
    feed_url = absolute_url("feeds.calendar_ics") + ("?" + urlencode(params) if params else "")
    window = public_window()
    sessions_now = db.session.scalar(
        Selection(filters=filters, since=window.since, until=window.until).rows(func.count(ActivitySession.id))
        .order_by(None))
    programmes = db.session.scalars(select(Programme).order_by(Programme.title)).all()
    page_locale = str(get_locale())
    topics = by_name(db.session.scalars(select(Topic)).all(), page_locale)
    parliaments = by_name(db.session.scalars(select(Parliament).where(Parliament.receives_assistance.is_(True)))
                          .all(), page_locale)
    return render_template(
        "feeds/calendar.html", filters=filters, locale=locale, links=subscription_links(feed_url),
        sessions_now=sessions_now, past_days=window.past_days, programmes=programmes,
        modalities=Modality.labels(), audiences=Audience.labels(), languages=list(CONTENT_LANGUAGES.items()),
        topic_choices=[(t.slug, t.name(page_locale)) for t in topics],
        parliament_choices=[(p.id, p.name(page_locale)) for p in parliaments],
        programme_choices=[(p.slug, p.title) for p in programmes])


@bp.get("/my/calendar")
@uncompressed  # the personal feed's secret address
@login_required
def subscriptions():
    token = services.active_token(current_user)
    secret = session.pop(NEW_SECRET, None)
    links = None
    if secret and token is not None and token.token_hash == services.hash_token(secret):
        links = subscription_links(absolute_url("feeds.personal_ics", token=secret))
    options_form = OptionsForm(include_tentative=token.include_tentative if token else False)
    return render_template("feeds/subscriptions.html", token=token, links=links, address_form=AddressForm(),
                           options_form=options_form, action_form=SimpleActionForm(),
                           past_days=int(current_app.config["FEED_PAST_DAYS"]))


@bp.post("/my/calendar/address")
@login_required
def new_address():
    form = AddressForm()
    if not form.validate_on_submit():
        flash(_("The form had expired; please try again."), "error")
        return redirect(url_for("feeds.subscriptions"))
    had_one = services.active_token(current_user) is not None
    include = form.include_tentative.data if not had_one else None
    session[NEW_SECRET] = services.issue_token(current_user._get_current_object(), include_tentative=include)
    flash(_("Your new address is ready; the old one no longer works.") if had_one
          else _("Your private address is ready."), "success")
    return redirect(url_for("feeds.subscriptions"))


@bp.get("/my/calendar/revoke")
@login_required
def confirm_revoke():
    if services.active_token(current_user) is None:
        flash(_("You have no private address to stop."), "info")
        return redirect(url_for("feeds.subscriptions"))
    return render_template(
        "confirm.html", title=_("Stop your private calendar address?"),
        lines=[_("Calendars subscribed to it stop updating, and the activities it showed may disappear from them."),
               _("You can make a new address afterwards; you will have to subscribe to it again.")],
        form=SimpleActionForm(), action=url_for("feeds.revoke_address"), confirm_label=_("Yes, stop the address"),
        back=url_for("feeds.subscriptions"))


@bp.post("/my/calendar/revoke")
@login_required
def revoke_address():
    if not SimpleActionForm().validate_on_submit():
        flash(_("The form had expired; please try again."), "error")
        return redirect(url_for("feeds.subscriptions"))
    services.revoke_tokens(current_user._get_current_object())
    flash(_("Your private address no longer works. Calendars subscribed to it will stop updating."), "success")
    return redirect(url_for("feeds.subscriptions"))


@bp.post("/my/calendar/options")
@login_required
def address_options():
    form = OptionsForm()
    if not form.validate_on_submit():
        flash(_("The form had expired; please try again."), "error")
    elif services.set_options(current_user._get_current_object(), form.include_tentative.data):
        flash(_("Saved. Calendar apps will show the change at their next refresh."), "success")
    else:
        flash(_("Make a private address first."), "error")
    return redirect(url_for("feeds.subscriptions"))
