"""A household's own server with a self-signed certificate (Radicale on HTTPS, started by
the test with a certificate made for it): refused until its fingerprint is confirmed,
then accepted, and refused in plain words once the certificate changes. A confirmed
certificate takes the place of the authorities a computer knows, not of the check that
it is made for the server's name."""

from __future__ import annotations

import pytest
from radicale_server import (  # noqa: F401
    RadicaleServer,
    fingerprint_of,
    radicale_tls,
    self_signed,
)

from caregiver_app.domain.sharing import ShareConfig, fingerprint_words
from caregiver_app.services.sharing.transport import ShareError, Transport


def _pin(server) -> str:
    return fingerprint_of(server.certificate[0]).replace(":", "").lower()


def test_a_self_signed_server_is_refused_until_its_fingerprint_is_confirmed(
        radicale_tls):  # noqa: F811
    with pytest.raises(ShareError) as caught:
        Transport.discover(radicale_tls.url, "ana", "ana-secret").close()
    assert caught.value.kind == "untrusted" and not caught.value.retry
    assert caught.value.message.startswith("The server's certificate is not signed by an "
                                           "authority this computer knows")
    # what the person compares: the certificate's own fingerprint, read without trust
    shown = Transport.fingerprint(radicale_tls.url)
    assert shown == _pin(radicale_tls)
    assert fingerprint_words(shown).replace("\n", ":") == fingerprint_of(
        radicale_tls.certificate[0])
    with Transport.discover(radicale_tls.url, "ana", "ana-secret", pin=shown) as found:
        assert found.home().endswith("/ana/")


def test_a_changed_certificate_is_refused_in_plain_words(radicale_tls, tmp_path):  # noqa: F811
    pin = _pin(radicale_tls)
    radicale_tls.stop()
    radicale_tls.certificate = self_signed(tmp_path / "new")  # the server's is replaced
    radicale_tls.start()
    with pytest.raises(ShareError) as caught, \
            Transport(radicale_tls.url, "ana", "ana-secret", pin=pin) as transport:
        transport.home()
    assert caught.value.kind == "pin_changed" and not caught.value.retry
    assert caught.value.message.startswith(
        "The server's certificate is not the one confirmed for it, so nothing was sent.")
    # outside the sharing dialog (the status bar, caregiver-app sync) the menu is named
    assert "confirm the new one in File ▸ Share with the family… (Check the server)" in (
        caught.value.message)


def test_the_confirmed_fingerprint_is_kept_with_the_settings_and_nothing_else():
    pin = "c6e92ce72f8bc007f423dadba9330f27848517769cfd5ae851b93760ab12942e"
    config = ShareConfig(server="https://dav.example.org/", username="ana", pin=pin)
    assert ShareConfig.from_texts(config.texts()).pin == pin
    assert ShareConfig.from_texts({**config.texts(), "pin": "not-a-fingerprint"}).pin == ""


@pytest.fixture
def radicale_other_name(tmp_path):
    """Radicale on https://localhost:<port>/ with a self-signed certificate made for
    another name (nas.example.org)."""
    folder = tmp_path / "radicale-other"
    folder.mkdir()
    server = RadicaleServer(folder, {"ana": "ana-secret"},
                            certificate=self_signed(folder / "tls", "nas.example.org"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_confirmed_certificate_made_for_another_name_is_refused(
        radicale_other_name, radicale_tls):  # noqa: F811
    pin = _pin(radicale_other_name)
    assert Transport.fingerprint(radicale_other_name.url) == pin  # what a person confirms
    with pytest.raises(ShareError) as caught, \
            Transport(radicale_other_name.url, "ana", "ana-secret", pin=pin) as transport:
        transport.home()
    assert caught.value.kind == "name" and not caught.value.retry
    assert caught.value.message.startswith("The server's certificate is not made for the "
                                           "name in the address, so nothing was sent.")
    with pytest.raises(ShareError) as caught:
        Transport.discover(radicale_other_name.url, "ana", "ana-secret", pin=pin).close()
    assert caught.value.kind == "name"
    # the same kind of certificate made for the name in the address is accepted
    with Transport(radicale_tls.url, "ana", "ana-secret", pin=_pin(radicale_tls)) as found:
        assert found.home().endswith("/ana/")
