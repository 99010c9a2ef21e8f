"""The meeting form; the service judges what the form cannot (times that do not exist, link, place or both)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from elearn.mentoring.meetings import AGENDA_MAX, PLACE_MAX, MeetingInput
from elearn.mentoring.models import MentoringMeeting


class MeetingForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[DataRequired()])
    end_time = TimeField(_l("Ends at"), validators=[DataRequired()])
    timezone = SelectField(_l("Timezone of these times"), validate_choice=False,
                           description=_l("Each of you sees the meeting in their own timezone."))
    online_url = StringField(_l("Online meeting link"), validators=[Optional(), Length(max=500)],
                             description=_l("For example https://meet.example.org/… Leave empty if you meet in "
                                            "person."))
    place = StringField(_l("Place"), validators=[Optional(), Length(max=PLACE_MAX)],
                        description=_l("Where you meet in person, if you do."))
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=AGENDA_MAX)],
                           description=_l("What you mean to talk about: both of you see it, and it goes in the "
                                          "calendar invitation."))

    def offer_zones(self, zones: list[str]) -> None:
        self.timezone.choices = [(zone, zone) for zone in zones]
        if not self.timezone.data:
            self.timezone.data = zones[0]

    def fill(self, meeting: MentoringMeeting) -> None:
        zone = ZoneInfo(meeting.timezone)
        local_start, local_end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
        self.day.data, self.start_time.data = local_start.date(), local_start.time().replace(tzinfo=None)
        self.end_time.data = local_end.time().replace(tzinfo=None)
        self.timezone.data = meeting.timezone
        self.online_url.data, self.place.data, self.agenda.data = meeting.online_url, meeting.place, meeting.agenda

    def to_input(self) -> MeetingInput:
        return MeetingInput(day=self.day.data, start_time=self.start_time.data, end_time=self.end_time.data,
                            timezone=self.timezone.data or "", online_url=self.online_url.data or "",
                            place=self.place.data or "", agenda=self.agenda.data or "")

