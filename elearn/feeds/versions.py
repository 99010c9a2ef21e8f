"""Feed versions: counters bumped in the same transaction as a change that feeds may show.

A feed's freshness check reads its versions (one tiny query with the cache row):
while they and the day's window are what the cached rendering was checked against,
nothing that feed shows can have changed, and the answer comes from the cache.

Scopes: `public` (activities, their sessions and links, programmes, topics: every
feed depends on it) and `person:<id>` (that person's registrations and the meetings
of the mentoring pairs they are in: their personal feed only). Changes are noticed on the ORM session, at each flush (unit of work)
and for ORM-enabled bulk statements; the counters are bumped just before the
commit, so a row lock on a counter is held only for the commit itself. A draft
activity is in no feed: changing one bumps nothing. Writes that bypass the session
(raw SQL) are not seen; the cache re-checks every feed hourly whatever its versions
(cache.RECHECK).
"""
from __future__ import annotations

from sqlalchemy import Delete, Insert, Update, event, inspect
from sqlalchemy.orm import Session

from elearn.database import conflict_insert
from elearn.delegations.agenda_models import AgendaItem, Institution
from elearn.extensions import db
from elearn.feeds.models import FeedVersion
from elearn.mentoring.models import MentoringMeeting, MentoringPair
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Programme, Registration
from elearn.topics import Topic

PUBLIC = "public"
PENDING = "hemicycle.feed_scopes"
# Tables whose bulk statements concern every feed. A bulk change of registrations
# names no single person: it bumps the public scope, which every feed reads.
PUBLIC_TABLES = {"activity", "activity_session", "activity_topic", "activity_invited_parliament",
                 "activity_trainer", "programme", "topic", "registration", "agenda_item", "agenda_item_participant",
                 "institution", "mentoring_meeting", "mentoring_pair"}
# What of an institution a feed shows (in its agenda items' LOCATION); its contact person is not shown.
INSTITUTION_SHOWN = {"name", "address", "city"}
# What no feed shows of an activity: the seat lock every registration bumps, and the
# registrations collection (each registration bumps its person's scope instead).
IGNORED_ACTIVITY_COLUMNS = {"seat_lock", "registrations"}


def person_scope(person_id: int) -> str:
    return f"person:{person_id}"


def _pending(session: Session) -> set[str]:
    return session.info.setdefault(PENDING, set())


def _was_or_is_listed(activity: Activity) -> bool:
    history = inspect(activity).attrs.status.history
    statuses = {*history.added, *history.deleted, *history.unchanged} or {activity.status}
    return any(status != ActivityStatus.DRAFT for status in statuses if status is not None)


def _activity_changed(activity: Activity) -> bool:
    state = inspect(activity)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return bool(changed - IGNORED_ACTIVITY_COLUMNS)


def _mentoring_scopes(instance: MentoringMeeting | MentoringPair, deleted: bool) -> set[str]:
    if isinstance(instance, MentoringMeeting):
        # In its pair's two personal feeds. A meeting deleted with its pair still holds the pair it was loaded with.
        pair = instance.pair or (db.session.get(MentoringPair, instance.pair_id) if instance.pair_id else None)
        return _pair_scopes(pair) if pair is not None else set()
    # A new pair has no meeting yet; a pair deleted or given another person moves its meetings between feeds.
    state = inspect(instance)
    if state.pending:
        return set()
    if deleted or state.attrs.mentor_id.history.has_changes() or state.attrs.mentee_id.history.has_changes():
        return _pair_scopes(instance)
    return set()


def _scopes_of(instance, deleted: bool = False) -> set[str]:
    if isinstance(instance, Activity):
        if (deleted or inspect(instance).pending or _activity_changed(instance)) and _was_or_is_listed(instance):
            return {PUBLIC}
        return set()
    if isinstance(instance, ActivitySession):
        activity = instance.activity
        return {PUBLIC} if activity is None or _was_or_is_listed(activity) else set()
    if isinstance(instance, Registration):
        history = inspect(instance).attrs.person_id.history
        people = {*history.added, *history.deleted, *history.unchanged} or {instance.person_id}
        return {person_scope(person_id) for person_id in people if person_id is not None}
    if isinstance(instance, (Programme, Topic)):
        return {PUBLIC}
    if isinstance(instance, AgendaItem):
        # Like a session: every confirmed participant's and trainer's feed may carry it, and the cache's
        # fingerprint (which holds each person's own items) keeps the other feeds from being rendered again.
        session = instance.session
        activity = session.activity if session is not None else None
        return {PUBLIC} if activity is None or _was_or_is_listed(activity) else set()
    if isinstance(instance, (MentoringMeeting, MentoringPair)):
        return _mentoring_scopes(instance, deleted)
    if isinstance(instance, Institution):
        state = inspect(instance)
        if deleted or state.pending:
            return set()  # an institution in use cannot be deleted; a new one is in no item yet
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        return {PUBLIC} if changed & INSTITUTION_SHOWN else set()
    return set()


def _pair_scopes(pair: MentoringPair) -> set[str]:
    """The mentor's and the mentee's feeds, as they are and as they were before this flush."""
    state = inspect(pair)
    people = set()
    for name in ("mentor_id", "mentee_id"):
        history = state.attrs[name].history
        people |= {*history.added, *history.deleted, *history.unchanged} or {getattr(pair, name)}
    return {person_scope(person_id) for person_id in people if person_id is not None}


# After the flush (ids are known) but with the flush's lists and histories still there.
@event.listens_for(db.session, "after_flush")
def _note_changes(session: Session, flush_context) -> None:
    scopes = _pending(session)
    for instance in session.new:
        scopes |= _scopes_of(instance)
    for instance in session.dirty:
        if session.is_modified(instance, include_collections=True):
            scopes |= _scopes_of(instance)
    for instance in session.deleted:
        scopes |= _scopes_of(instance, deleted=True)


@event.listens_for(db.session, "do_orm_execute")
def _note_bulk_changes(orm_execute_state):
    statement = orm_execute_state.statement
    if not isinstance(statement, (Insert, Update, Delete)):
        return None
    name = getattr(getattr(statement, "table", None), "name", None)
    if name not in PUBLIC_TABLES:
        return None
    if name == "activity" and isinstance(statement, Update):
        columns = {getattr(column, "key", str(column)) for column in statement._values or {}}
        if columns and columns <= IGNORED_ACTIVITY_COLUMNS:
            return None
    result = orm_execute_state.invoke_statement()
    if getattr(result, "rowcount", 1) != 0:  # a statement that matched no row changed nothing
        _pending(orm_execute_state.session).add(PUBLIC)
    return result


@event.listens_for(db.session, "before_commit")
def _bump(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit bumps, so no counter is locked while work goes on
    session.flush()  # notes the changes still pending
    scopes = session.info.pop(PENDING, None)
    if not scopes:
        return
    # Sorted: transactions that bump several counters lock them in the same order.
    for scope in sorted(scopes):
        statement = conflict_insert(session, FeedVersion).values(scope=scope, version=1)
        session.execute(statement.on_conflict_do_update(index_elements=[FeedVersion.scope],
                                                        set_={"version": FeedVersion.version + 1}))


@event.listens_for(db.session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if session.get_transaction() is None:  # the whole transaction, not a savepoint, was rolled back
        session.info.pop(PENDING, None)
