"""The shared checks: tables of rules, and one email rule that the form, the services and the CSV import agree on."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from elearn.access import Role
from elearn.people.forms import PersonForm
from elearn.people.importing import check_csv
from elearn.people.models import PersonKind
from elearn.people.services import PersonData, check_person_data
from elearn.validation import Rule, check_fields, normalised_email, whole_number

RULES = (
    Rule("name", lambda value: isinstance(value, str), "{key} must be a text", required=True, keep=str.strip),
    Rule("size", whole_number(1, 10), "{label}: size {value!r} is not from 1 to 10", fatal=True),
    Rule("tags", lambda value: isinstance(value, list), "tags must be a list",
         more=lambda tags: [f"unknown tag {tag!r}" for tag in tags if tag != "ok"]),
)


def test_rules_report_unknown_then_missing_then_each_rule_in_order():
    checked = check_fields({"extra": 1, "size": 0, "tags": 3}, RULES, unknown="unknown key {key!r}",
                           missing="missing key {key!r}", label="box")

    assert checked.problems == [("extra", "unknown key 'extra'"), ("name", "missing key 'name'"),
                                ("size", "box: size 0 is not from 1 to 10")]
    assert not checked.complete  # the fatal rule stopped the check before tags


def test_a_required_key_without_a_general_message_is_checked_as_a_value():
    checked = check_fields({"tags": ["ok", "odd"]}, RULES, label="box")

    assert checked.problems == [("name", "name must be a text"), ("tags", "unknown tag 'odd'")]
    assert checked.values == {"tags": ["ok", "odd"]}


def test_valid_values_are_kept_as_the_rule_says():
    checked = check_fields({"name": "  Box ", "size": 3}, RULES, label="box")

    assert checked.ok and checked.complete
    assert checked.values == {"name": "Box", "size": 3}


def test_a_bool_is_not_a_whole_number():
    assert not whole_number(0)(True)


def test_an_address_is_stored_trimmed_and_in_lower_case():
    assert normalised_email("  Karma.Dorji@Example.ORG ") == "karma.dorji@example.org"


@pytest.mark.parametrize("address", ["x@y", "not-an-email", "@example.org", "a..b@example.org"])
def test_a_bad_address_raises_a_message_for_the_user(address):
    with pytest.raises(ValueError, match="^not a valid email address$"):
        normalised_email(address)


def test_the_import_refuses_an_address_without_a_dot_in_its_domain(app, people):
    check = check_csv("email,full_name\nx@y,Ousman Jallow\n")

    assert check.problems == ["line 2, email: not a valid email address"]
    assert check.rows == []


ADDRESSES = [
    ("amina@example.org", True),
    ("Amina.Touray@Example.ORG", True),
    ("élise@example.org", True),
    ("x@y", False),
    ("amina@example", False),
    ("amina@localhost", False),
    ("a b@example.org", False),
    ("a..b@example.org", False),
    ("@example.org", False),
    ("amina@", False),
    ("x" * 250 + "@example.org", False),
]


def _form_accepts(app, address: str) -> bool:
    with app.test_request_context():
        form = PersonForm(formdata=MultiDict({"email": address}), meta={"csrf": False})
        return form.email.validate(form)


def _service_accepts(address: str) -> bool:
    data = PersonData(email=address, full_name="Amina Touray", kind=PersonKind.STAFF, role=Role.LEARNER)
    return not [problem for problem in check_person_data(data) if problem[0] == "email"]


def _import_accepts(address: str) -> bool:
    return check_csv(f"email,full_name\n{address},Amina Touray\n").ok


@pytest.mark.parametrize(("address", "valid"), ADDRESSES)
def test_the_form_the_service_and_the_import_agree_on_an_address(app, people, address, valid):
    assert (_form_accepts(app, address), _service_accepts(address), _import_accepts(address)) == (valid, valid, valid)
