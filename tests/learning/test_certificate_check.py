"""Checking a certificate by typing its code, as a verifier given a printed certificate would."""
import pytest

from elearn.learning.certificates import normalise_code
from tests.helpers import text
from tests.learning.factories import complete_course, make_course


@pytest.mark.parametrize("typed", ["K7QF-2MZX-9TRA", "k7qf2mzx9tra", " K7QF 2MZX 9TRA ", "k7qf–2mzx-9tra", "K7QF2MZX9TRA"])
def test_a_code_is_read_with_or_without_dashes_in_any_case(typed):
    assert normalise_code(typed) == "K7QF-2MZX-9TRA"


def test_the_footer_leads_to_a_form_where_a_code_is_typed(app, people, client):
    course = make_course(lessons=1, questions=0)
    enrolment, _attempt = complete_course(people["learner"], course)
    code = enrolment.certificate.code
    home = client.get("/")
    assert 'href="/certificates"' in home.get_data(as_text=True)
    form = client.get("/certificates")
    assert form.status_code == 200
    assert "Verification code" in text(form) and 'name="code"' in form.get_data(as_text=True)

    typed = code.replace("-", "").lower()
    found = client.get("/certificates", query_string={"code": typed})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/certificates/{code}")
    page = text(client.get(found.headers["Location"]))
    assert "This certificate is genuine." in page and people["learner"].full_name in page
    # The address printed on a certificate forgives the same things.
    assert "This certificate is genuine." in text(client.get(f"/certificates/{typed}"))


def test_an_unknown_code_says_so_and_offers_the_form_again(app, people, client):
    for response in (client.get("/certificates", query_string={"code": "aaaa bbbb cccc"}),
                     client.get("/certificates/AAAA-BBBB-CCCC")):
        assert response.status_code == 404
        page = text(response)
        assert "No certificate has the code" in page and "This certificate is genuine." not in page
        assert 'name="code"' in response.get_data(as_text=True)


def test_lookups_are_rate_limited_per_address(make_app, people):
    limited = make_app(CERTIFICATE_LOOKUP_LIMIT_PER_IP="3 per minute")
    client = limited.test_client()
    answers = [client.get("/certificates", query_string={"code": f"AAAA-BBBB-CCC{n}"}).status_code for n in range(3)]
    assert answers == [404, 404, 404]
    assert client.get("/certificates/AAAA-BBBB-CCCD").status_code == 429


def test_the_french_verification_calls_it_an_attestation_as_the_certificate_itself_does(app, people, client):
    course = make_course(lessons=1, questions=0)
    enrolment, _attempt = complete_course(people["learner"], course)
    page = text(client.get(f"/certificates/{enrolment.certificate.code}", headers={"Accept-Language": "fr"}))
    assert "Cette attestation est authentique." in page and "certificat" not in page.lower().replace("/certificates", "")
