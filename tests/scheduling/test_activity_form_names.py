"""Every control of the activity form has its own accessible name, as a screen reader announces it."""
from __future__ import annotations

from collections import Counter
from datetime import date, time
from html.parser import HTMLParser

from elearn.scheduling.services import SessionInput
from tests.helpers import text
from tests.scheduling.factories import make_activity

CONTROLS = {"input", "select", "textarea", "button"}


class AccessibleNames(HTMLParser):
    """The accessible name of each form control (HTML-AAM, the cases the site uses).

    aria-label first, then aria-labelledby, then a <label for=…>, then the <label>
    around the control; a submit button is named by its value or its text.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.label_for: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.open_labels: list[dict] = []  # labels being read, each with its text and the controls inside
        self.open_ids: list[tuple[str, str]] = []  # (tag, id) of elements whose text aria-labelledby may use
        self.button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.open_ids.append((tag, attributes["id"]))
            self.texts.setdefault(attributes["id"], "")
        if tag == "label":
            self.open_labels.append({"for": attributes.get("for"), "text": "", "inside": []})
        if tag in CONTROLS and attributes.get("type") != "hidden":
            control = {"tag": tag, "attributes": attributes}
            self.controls.append(control)
            if self.open_labels:
                self.open_labels[-1]["inside"].append(control)
            if tag == "button":
                control["text"], self.button = "", control

    def handle_endtag(self, tag):
        if self.open_ids and self.open_ids[-1][0] == tag:
            self.open_ids.pop()
        if tag == "label" and self.open_labels:
            label = self.open_labels.pop()
            if label["for"]:
                self.label_for[label["for"]] = label["text"]
            for control in label["inside"]:
                control.setdefault("wrapping_label", label["text"])
        if tag == "button":
            self.button = None

    def handle_data(self, data):
        for label in self.open_labels:
            label["text"] += data
        for _tag, element_id in self.open_ids:
            self.texts[element_id] += data
        if self.button is not None:
            self.button["text"] += data

    def name(self, control: dict) -> str:
        attributes = control["attributes"]
        if attributes.get("aria-label"):
            found = attributes["aria-label"]
        elif attributes.get("aria-labelledby"):
            found = " ".join(self.texts.get(part, "") for part in attributes["aria-labelledby"].split())
        elif attributes.get("id") in self.label_for:
            found = self.label_for[attributes["id"]]
        elif "wrapping_label" in control:
            found = control["wrapping_label"]
        elif control["tag"] == "button":
            found = control["text"]
        else:
            found = attributes.get("value", "") if attributes.get("type") == "submit" else ""
        return " ".join(found.split())


def names_in_form(page: str) -> list[str]:
    """The names of the controls of the page's main form (the one posting the activity)."""
    start = page.index('<form method="post" class="form wide"')
    parser = AccessibleNames()
    parser.feed(page[start:page.index("</form>", start) + len("</form>")])
    return [parser.name(control) for control in parser.controls]


def assert_unique_names(page: str) -> list[str]:
    names = names_in_form(page)
    assert "" not in names, "a control has no accessible name"
    repeated = {name: count for name, count in Counter(names).items() if count > 1}
    assert not repeated, f"controls share a name: {repeated}"
    return names


def test_every_control_of_a_new_activity_form_has_its_own_name(people, login_as):
    names = assert_unique_names(text(login_as("trainer").get("/manage/activities/new")))
    assert "Session 2: First day" in names and "Session 6: Session title" in names


def test_every_control_has_its_own_name_with_two_repeated_times_to_choose(people, login_as):
    # Two sessions starting at 02:30 on the night the clocks go back: two rows of the same choice.
    night = SessionInput(start_date=date(2027, 10, 31), start_time=time(2, 30), end_time=time(3, 30))
    activity = make_activity(sessions=(night, SessionInput(start_date=date(2028, 10, 29), start_time=time(2, 30),
                                                           end_time=time(3, 30))))
    names = assert_unique_names(text(login_as("trainer").get(f"/manage/activities/{activity.id}/edit")))
    assert "Session 1: the first 2:30 AM (UTC+02:00)" in names
    assert "Session 2: the second 2:30 AM (UTC+01:00)" in names
