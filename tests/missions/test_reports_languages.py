"""The report page speaks each of the four translated languages (tests/test_i18n.py checks the catalogs)."""
from __future__ import annotations

import pytest

from elearn.extensions import db
from tests.helpers import text
from tests.missions.reports_helpers import make_head, make_mission, page, validated_report

HEADINGS = {"fr": ("Rapport de mission", "Proposer un programme"), "es": ("Informe de misión", "Proponer un programa"),
            "pt": ("Relatório de missão", "Propor um programa"), "ar": ("تقرير البعثة", "اقتراح برنامج")}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_the_report_page_is_translated(login_as, people, language):
    activity = make_mission(people["focal_point"].parliament, people["trainer"])
    validated_report(activity, make_head(activity, "head@example.org"), people["trainer"])
    people["trainer"].preferred_language = language
    db.session.commit()
    html = text(page(login_as("trainer"), activity))
    for words in HEADINGS[language]:
        assert words in html
