"""Forms for cost lines and the cost report. Amounts and currency are text: the service checks them and names the field."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from elearn.delegations.cost_report import FUNDER, PROGRAMME
from elearn.delegations.costs import CostInput
from elearn.delegations.costs_models import CostCategory
from elearn.delegations.logistics_models import Payer
from elearn.forms import options


class CostLineForm(FlaskForm):
    # validate_choice off: an unknown value reaches the service, which refuses it under the field.
    category = SelectField(_l("Category"), choices=lambda: options(CostCategory.choices()), validate_choice=False)
    payer = SelectField(_l("Paid by"), choices=lambda: options(Payer.choices()), validate_choice=False)
    description = TextAreaField(_l("Description"), render_kw={"rows": 2, "maxlength": 2000})
    planned_amount = StringField(_l("Planned amount"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    actual_amount = StringField(_l("Actual amount"), description=_l("Leave empty until the amount is known."),
                                render_kw={"inputmode": "decimal", "autocomplete": "off"})
    currency = StringField(_l("Currency"), description=_l("ISO 4217 code, such as EUR, USD or XOF."),
                           render_kw={"maxlength": 3, "autocapitalize": "characters", "autocomplete": "off"})
    submit = SubmitField(_l("Save"))

    def to_input(self) -> CostInput:
        return CostInput(category=self.category.data or "", payer=self.payer.data or "",
                         planned_amount=self.planned_amount.data or "", currency=self.currency.data or "",
                         actual_amount=self.actual_amount.data or "", description=self.description.data or "")

    def fill(self, line) -> None:
        self.category.data, self.payer.data = line.category.value, line.payer.value
        self.description.data, self.currency.data = line.description, line.currency
        self.planned_amount.data = str(line.planned_amount)
        self.actual_amount.data = "" if line.actual_amount is None else str(line.actual_amount)


class CostReportForm(FlaskForm):
    class Meta:
        csrf = False  # reading figures changes nothing

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    programme_id = SelectField(_l("Programme"), coerce=str, validators=[Optional()])
    funder = SelectField(_l("Funder"), validators=[Optional()])
    view = SelectField(_l("Rows by"), validators=[Optional()],
                       choices=lambda: options([(PROGRAMME, _l("Programme")), (FUNDER, _l("Funder"))]))
