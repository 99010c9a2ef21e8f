"""The form of one participant's travel and stay, and its conversion to and from LogisticsInput."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, Optional

from elearn.delegations.logistics import LogisticsInput
from elearn.delegations.logistics_models import SENSITIVE_FIELDS, Logistics, Payer, TravelMode
from elearn.delegations.sensitive import SensitiveDetails
from elearn.forms import options

NOT_SET = ("", "—")


class LocalDecimalField(DecimalField):
    """A decimal typed either way: 95.50, or 95,50 as French and many other languages write it."""

    def process_formdata(self, valuelist):
        super().process_formdata([value.replace(",", ".").replace("\u00a0", "").replace(" ", "")
                                  for value in valuelist])


def _payer_options():
    return options([NOT_SET, *Payer.choices()])


def _mode_options():
    return options([NOT_SET, *TravelMode.choices()])


class LogisticsForm(FlaskForm):
    travel_paid_by = SelectField(_l("Travel paid by"), choices=_payer_options)
    stay_paid_by = SelectField(_l("Stay paid by"), choices=_payer_options)

    arrival_on = DateField(_l("Arrival date"), validators=[Optional()])
    arrival_time = TimeField(_l("Arrival time"), validators=[Optional()])
    arrival_mode = SelectField(_l("Arrives by"), choices=_mode_options)
    arrival_reference = StringField(_l("Arrival flight or train number"), validators=[Length(max=40)])
    arrival_place = StringField(_l("Arrival airport or station"), validators=[Length(max=120)])
    departure_on = DateField(_l("Departure date"), validators=[Optional()])
    departure_time = TimeField(_l("Departure time"), validators=[Optional()])
    departure_mode = SelectField(_l("Leaves by"), choices=_mode_options)
    departure_reference = StringField(_l("Departure flight or train number"), validators=[Length(max=40)])
    departure_place = StringField(_l("Departure airport or station"), validators=[Length(max=120)])

    hotel_name = StringField(_l("Hotel"), validators=[Length(max=200)])
    hotel_address = StringField(_l("Hotel address"), validators=[Length(max=300)])
    check_in_on = DateField(_l("Check-in"), validators=[Optional()])
    check_out_on = DateField(_l("Check-out"), validators=[Optional()])

    per_diem_amount = LocalDecimalField(_l("Per-diem per day"), places=2, validators=[Optional()])
    per_diem_currency = StringField(_l("Per-diem currency"), validators=[Length(max=3)],
                                    description=_l("ISO 4217 code, such as EUR, XOF or USD."))
    per_diem_days = IntegerField(_l("Per-diem days"), validators=[Optional()])
    visa_needed = BooleanField(_l("Visa needed"))

    dietary_needs = TextAreaField(_l("Dietary needs"), validators=[Length(max=2000)])
    accessibility_needs = TextAreaField(_l("Accessibility needs"), validators=[Length(max=2000)])
    passport_number = StringField(_l("Passport number"), validators=[Length(max=40)])
    passport_country = StringField(_l("Passport issued by (country code)"), validators=[Length(max=2)],
                                   description=_l("Two letters of ISO 3166, such as CI or FR."))
    passport_expires_on = DateField(_l("Passport expiry date"), validators=[Optional()])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])

    submit = SubmitField(_l("Save travel and stay"))


def _enum_or_none(enum_cls, value: str):
    return enum_cls(value) if value else None


def to_input(form: LogisticsForm) -> LogisticsInput:
    return LogisticsInput(
        travel_paid_by=_enum_or_none(Payer, form.travel_paid_by.data),
        stay_paid_by=_enum_or_none(Payer, form.stay_paid_by.data),
        arrival_on=form.arrival_on.data, arrival_time=form.arrival_time.data,
        arrival_mode=_enum_or_none(TravelMode, form.arrival_mode.data),
        arrival_reference=form.arrival_reference.data or "", arrival_place=form.arrival_place.data or "",
        departure_on=form.departure_on.data, departure_time=form.departure_time.data,
        departure_mode=_enum_or_none(TravelMode, form.departure_mode.data),
        departure_reference=form.departure_reference.data or "", departure_place=form.departure_place.data or "",
        hotel_name=form.hotel_name.data or "", hotel_address=form.hotel_address.data or "",
        check_in_on=form.check_in_on.data, check_out_on=form.check_out_on.data,
        per_diem_amount=form.per_diem_amount.data, per_diem_currency=form.per_diem_currency.data or "",
        per_diem_days=form.per_diem_days.data, visa_needed=bool(form.visa_needed.data),
        dietary_needs=form.dietary_needs.data or "", accessibility_needs=form.accessibility_needs.data or "",
        passport_number=form.passport_number.data or "", passport_country=form.passport_country.data or "",
        passport_expires_on=form.passport_expires_on.data, birth_date=form.birth_date.data)


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return moment.astimezone(zone) if moment else None


def fill(form: LogisticsForm, logistics: Logistics | None, sensitive: SensitiveDetails, zone: ZoneInfo) -> None:
    """Show what is stored: instants in the activity's zone; sensitive fields only as read (and audited)."""
    for name in SENSITIVE_FIELDS:
        getattr(form, name).data = getattr(sensitive, name)
    if logistics is None:
        return
    for name in ("arrival_reference", "arrival_place", "departure_reference", "departure_place", "hotel_name",
                 "hotel_address", "check_in_on", "check_out_on", "per_diem_amount", "per_diem_currency",
                 "per_diem_days", "visa_needed"):
        getattr(form, name).data = getattr(logistics, name)
    for name in ("travel_paid_by", "stay_paid_by", "arrival_mode", "departure_mode"):
        value = getattr(logistics, name)
        getattr(form, name).data = value.value if value else ""
    for which in ("arrival", "departure"):
        local = _local(getattr(logistics, f"{which}_at"), zone)
        getattr(form, f"{which}_on").data = local.date() if local else None
        getattr(form, f"{which}_time").data = local.time().replace(tzinfo=None) if local else None
