"""`flask …` commands answer in the terminal's language (LC_ALL, then LC_MESSAGES, then LANG)."""
import pytest

from elearn.terminal import terminal_locale


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "es_PE.UTF-8"}, "es"),
    ({"LANG": "pt_GW"}, "pt"),
    ({"LANG": "ar_LY.UTF-8"}, "ar"),
    ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "pt_PT.UTF-8"}, "pt"),
    ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "pt_PT.UTF-8", "LC_ALL": "ar_MA.UTF-8"}, "ar"),
    ({"LANG": "de_DE.UTF-8"}, "en"),  # a language the site does not speak
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_terminals_language_is_read_as_posix_does(app, environ, expected):
    assert terminal_locale(environ) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr_FR.UTF-8", "données de référence prêtes"),
    ("es_BO.UTF-8", "datos de referencia listos"),
    ("pt_GW.UTF-8", "dados de referência prontos"),
    ("ar_MR.UTF-8", "البيانات المرجعية جاهزة"),
])
def test_setup_answers_in_the_terminals_language(app, lang, expected):
    result = app.test_cli_runner().invoke(args=["setup"], env={"LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.exit_code == 0, result.output
    assert expected in result.output and "reference data ready" not in result.output


def test_a_refusal_is_in_the_terminals_language_too(app, tmp_path):
    missing = tmp_path / "nothing.db"
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(missing), "--yes"],
                                          env={"LANG": "es_CL.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.exit_code == 1
    assert "No hay ninguna copia de seguridad en" in result.output
