"""Files that come in: the people CSV upload and course folders. Sizes, names and types are distrusted."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.content.loading import load_courses
from elearn.learning.models import CourseAsset
from elearn.people.models import Person
from tests import factories
from tests.helpers import text
from tests.learning.factories import png_bytes, write_course
from tests.people.test_import import GOOD_CSV, confirm, upload


@pytest.fixture
def parliaments(app, people):
    return [factories.make_parliament(name_en="Parliament of Bhutan", country_code="BT"),
            factories.make_parliament(name_en="Parliament of Malawi", country_code="MW")]


def files_under(*folders: Path) -> set[Path]:
    return {Path(dirpath) / name for folder in folders for dirpath, _dirs, names in os.walk(folder) for name in names}


@pytest.mark.parametrize("filename", ["../../x", "../../../tmp/hemicycle-upload.csv", "..\\..\\x.csv",
                                      "/etc/cron.d/people.csv", "people.csv\x00.png"])
def test_the_uploaded_files_name_is_never_used_as_a_path(admin_client, parliaments, tmp_path, filename,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    watched = (tmp_path, Path(admin_client.application.instance_path).parent)
    before = files_under(*watched)

    preview = upload(admin_client, GOOD_CSV.encode(), filename=filename)
    assert "Import these people" in text(preview)  # judged by its content, whatever it is called
    confirm(admin_client, preview)

    assert db.session.scalar(select(func.count(Person.id)).where(Person.email.like("%karma.dorji%"))) == 1
    assert files_under(*watched) == before  # nothing written beside the app or the working folder
    assert not Path("/tmp/hemicycle-upload.csv").exists()


@pytest.mark.parametrize("raw", [
    b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40,  # a spreadsheet (XLSX is a zip) renamed .csv
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
])
def test_only_csv_text_is_accepted_whatever_the_file_claims_to_be(admin_client, parliaments, raw):
    people_before = db.session.scalar(select(func.count(Person.id)))

    response = upload(admin_client, raw, filename="people.csv")

    assert response.status_code == 200
    assert "This is not a CSV text file. Save the spreadsheet as “CSV UTF-8” and try again." in text(response)
    assert "Import these people" not in text(response)
    assert db.session.scalar(select(func.count(Person.id))) == people_before


def test_an_oversized_upload_gets_the_friendly_413_page_and_nothing_is_saved(admin_client, parliaments):
    people_before = db.session.scalar(select(func.count(Person.id)))
    raw = GOOD_CSV.encode() + b"x" * admin_client.application.config["MAX_CONTENT_LENGTH"]

    response = upload(admin_client, raw)

    assert response.status_code == 413
    page = text(response)
    assert "The upload is too large" in page and 'href="#main"' in page  # the site's own page, with its layout
    assert db.session.scalar(select(func.count(Person.id))) == people_before


def test_a_course_file_linking_outside_its_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(b"\x89PNG the importing account's private file")
    folder = write_course(tmp_path / "courses", "committee-work", assets={"room.png": png_bytes()})
    (folder / "assets" / "leak.png").symlink_to(secret)

    courses, problems = load_courses(tmp_path / "courses")

    assert courses == []
    assert [str(problem) for problem in problems] == [
        "courses/committee-work/assets/leak.png:1: links to a file outside the course folder; copy the file in instead"]


def test_a_link_inside_the_course_folder_is_fine(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_course(tmp_path / "courses", "committee-work", assets={"room.png": png_bytes()})
    (folder / "assets" / "same-room.png").symlink_to(folder / "assets" / "room.png")

    courses, problems = load_courses(tmp_path / "courses")

    assert problems == [] and sorted(courses[0].assets) == ["room.png", "same-room.png"]
    assert db.session.scalar(select(func.count(CourseAsset.id))) == 0  # checking imports nothing


def test_a_symlink_loop_in_a_course_folder_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_course(tmp_path / "courses", "committee-work")
    (folder / "a").symlink_to(folder / "b")
    (folder / "b").symlink_to(folder / "a")

    courses, problems = load_courses(tmp_path / "courses")

    assert courses == []
    assert [str(problem) for problem in problems] == [
        f"courses/committee-work/{name}:1: a link that cannot be followed (missing target or a loop)" for name in "ab"]
