import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, parse_email_url, smtp_mailer


@pytest.mark.parametrize(
    "raw, expected",
    [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False), ("", False)],
)
def test_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("DEBUG", environ={"DEBUG": raw}) is expected


def test_bool_refuses_a_typo_and_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture' is not a boolean"):
        env_bool("DEBUG", environ={"DEBUG": "ture"})


def test_bool_default_when_unset():
    assert env_bool("DEBUG", True, environ={}) is True


def test_int_refuses_words_and_values_below_the_minimum():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='twenty' is not a whole number"):
        env_int("EMAIL_PORT", environ={"EMAIL_PORT": "twenty"})
    with pytest.raises(ImproperlyConfigured, match="must be at least 1"):
        env_int("EMAIL_PORT", environ={"EMAIL_PORT": "0"}, minimum=1)
    assert env_int("EMAIL_PORT", environ={"EMAIL_PORT": "587"}) == 587


def test_list_splits_on_commas_and_drops_blanks():
    assert env_list("HOSTS", environ={"HOSTS": "a.no, b.no,,"}) == ["a.no", "b.no"]
    assert env_list("HOSTS", ["x"], environ={}) == ["x"]


def test_required_string_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", environ={}, required=True)


def test_email_url_smtp_with_tls_and_quoted_password():
    mailer = parse_email_url("smtp://post%40usht.no:p%C3%A5ss@mail.example.no:587?tls=1")
    assert mailer == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "mail.example.no",
            "port": 587,
            "username": "post@usht.no",
            "password": "påss",
            "use_tls": True,
            "use_ssl": False,
            "timeout": 20,
        },
    }


def test_email_url_smtps_defaults_to_port_465():
    options = parse_email_url("smtps://mail.example.no")["OPTIONS"]
    assert (options["port"], options["use_ssl"]) == (465, True)


def test_tls_and_ssl_together_are_refused():
    with pytest.raises(ImproperlyConfigured, match="at most one of TLS"):
        smtp_mailer("mail.example.no", 465, use_tls=True, use_ssl=True)


def test_email_url_console_and_bad_scheme():
    assert parse_email_url("console://")["BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match="unknown scheme 'imap'"):
        parse_email_url("imap://mail.example.no")
    with pytest.raises(ImproperlyConfigured, match="must name a host"):
        parse_email_url("smtp://")


def test_a_rotated_secret_key_still_reads_what_the_old_one_signed(settings):
    from django.core import signing

    settings.SECRET_KEY = "old-key-" + "x" * 50
    token = signing.dumps({"person": 7}, salt="test")
    settings.SECRET_KEY = "new-key-" + "y" * 50
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert signing.loads(token, salt="test") == {"person": 7}
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="test")
