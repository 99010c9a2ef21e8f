"""The terms of reference form and the focal point's agree button."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Optional

from elearn.missions.terms import TermsInput


class TermsForm(FlaskForm):
    # The version the form was made from: a save over a newer version is refused by the service.
    base_version = HiddenField()
    objectives = TextAreaField(_l("Objectives"), render_kw={"rows": 4, "maxlength": 10000})
    expected_outputs = TextAreaField(_l("Expected outputs"), render_kw={"rows": 4, "maxlength": 10000})
    counterpart_institution = StringField(_l("Counterpart institution"),
                                          description=_l("The partner parliament's service the mission works with."),
                                          render_kw={"maxlength": 200})
    counterpart_contacts = TextAreaField(_l("Counterpart contacts"),
                                         description=_l("Names, functions and how to reach them."),
                                         render_kw={"rows": 3, "maxlength": 5000})
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    body_md = TextAreaField(_l("Terms of reference"),
                            description=_l("Background, scope, method and schedule. Markdown: **bold**, lists, "
                                           "links and tables."),
                            render_kw={"rows": 16, "maxlength": 50000})
    submit = SubmitField(_l("Save the terms"))

    def to_input(self) -> TermsInput:
        return TermsInput(objectives=self.objectives.data or "", expected_outputs=self.expected_outputs.data or "",
                          counterpart_institution=self.counterpart_institution.data or "",
                          counterpart_contacts=self.counterpart_contacts.data or "",
                          starts_on=self.starts_on.data, ends_on=self.ends_on.data, body_md=self.body_md.data or "")

    def fill(self, terms) -> None:
        self.base_version.data = str(terms.version)
        for name in ("objectives", "expected_outputs", "counterpart_institution", "counterpart_contacts",
                     "starts_on", "ends_on", "body_md"):
            getattr(self, name).data = getattr(terms, name)

    def based_on(self) -> int | None:
        value = (self.base_version.data or "").strip()
        return int(value) if value.isdigit() else None


class AgreeForm(FlaskForm):
    # The version the page showed: the service refuses it if the text has changed since.
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("I agree to these terms"))
