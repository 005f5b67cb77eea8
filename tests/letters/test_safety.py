"""User text ends up in the letter's HTML: it must print literally, and rendering must never
read a file outside static or open a connection."""
from __future__ import annotations

import socket
import unicodedata
import urllib.request
from dataclasses import replace

import pytest

from dsar.letters.data import DatasetRef, Ngo, Person, Recipient
from dsar.letters.render import (
    BASE_URL,
    MAX_DATA_URL,
    STATIC_ORIGIN,
    RefusedURL,
    _fetcher_class,
    decode_data_url,
    make_url_fetcher,
    render_pdf,
    static_path_for,
    static_url,
)
from tests.letters.conftest import contains, pdf_text, sample_letters

IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel="stylesheet" href="http://203.0.113.9/x.css">'
IMPORT = '<style>@import url("http://203.0.113.9/y.css"); body{background:url(file:///etc/shadow)}</style>'
RTL = "שלום עולם"
EMOJI = "🙂🎉"
COMBINING = "Zoe\u0308 Łukasiewicz-Ørsted"  # e + combining diaeresis
LONG_ADDRESS = "Very Long Street " * 294  # 4,998 characters


class RecordingFetcher(_fetcher_class()):  # type: ignore[misc]
    """The real static-only fetcher, recording every URL it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def fetch(self, url, headers=None):
        self.urls.append(url)
        return super().fetch(url, headers)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to connect fails the test loudly."""
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"connection attempted to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **k: attempts.append(a) or 1 / 0)
    return attempts


def hostile_letter(kind: str):
    base = sample_letters("en")[kind]
    evil = f"{IMG} {LINK} {IMPORT}"
    person = Person(
        name=f"{COMBINING} {IMG}", address_lines=(LINK, LONG_ADDRESS, RTL), email=f"a@b.c{IMPORT}",
        phone=f"+49 {EMOJI}", other_names=(evil, RTL),
    )
    recipient = Recipient(
        name=f"Org {LINK}", legal_name=f"Legal {IMG}", address_lines=(IMPORT, RTL), email="p@x.example",
        eu_representative=(evil,),
    )
    dataset = DatasetRef(
        name=f"Set {IMG}", aliases=(LINK,), derivatives=(IMPORT,), identifying_details=((f"Label {IMG}", f"{evil} {EMOJI}"),),
    )
    ngo = Ngo(name=f"NGO {LINK}", address_lines=(IMPORT,), email=IMG, description=evil, caseworker=RTL)
    return replace(base, person=person, recipient=recipient, datasets=(dataset,), ngo=ngo if kind == "mandate" else None,
                   place=IMG, reference="REF-<b>1</b>")


@pytest.mark.parametrize("kind", ["access", "mandate", "complaint"])
def test_it_prints_hostile_markup_literally_and_reads_only_static(kind, no_network) -> None:
    fetcher = RecordingFetcher()
    text = pdf_text(render_pdf(hostile_letter(kind), url_fetcher=fetcher))
    for payload in (IMG, LINK, '@import url("http://203.0.113.9/y.css")', "REF-<b>1</b>"):
        assert contains(text, payload)
    assert no_network == []
    assert fetcher.urls, "the stylesheet and fonts go through the fetcher"
    for url in fetcher.urls:
        assert url.startswith(f"{STATIC_ORIGIN}/static/") or url.startswith("data:image/png")


def test_it_keeps_a_5000_character_address_whole(no_network) -> None:
    text = pdf_text(render_pdf(hostile_letter("access")))
    assert text.count("Very Long Street") >= 294


def test_it_renders_right_to_left_and_combining_text(no_network) -> None:
    base = sample_letters("en")["access"]
    letter = replace(base, person=Person(name=COMBINING, address_lines=(RTL, "Tel Aviv")))
    text = pdf_text(render_pdf(letter))
    assert unicodedata.normalize("NFC", COMBINING) in text
    assert set(RTL.replace(" ", "")) <= set(text)


def test_it_renders_emoji_without_losing_the_text_around_them(no_network) -> None:
    base = sample_letters("en")["access"]
    letter = replace(base, person=Person(name=f"Zoe {EMOJI}", address_lines=("Street 1", f"+49 {EMOJI}")))
    text = pdf_text(render_pdf(letter))
    # DejaVu has no emoji: they print as an empty box, and the text around them stays intact.
    assert contains(text, "Street 1 +49")
    assert contains(text, "Request for access to personal data")


def test_it_refuses_file_and_network_urls() -> None:
    fetcher = make_url_fetcher()
    for url in ("file:///etc/passwd", "http://203.0.113.9/x.css", "https://example.org/a.ttf",
                "ftp://example.org/x", f"{STATIC_ORIGIN}/etc/passwd"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_it_refuses_escapes_from_static() -> None:
    for path in ("../dsar/settings.py", "fonts/../../manage.py", "%2e%2e/manage.py", "fonts/..%2f..%2fmanage.py",
                 "fonts\\..\\x", "", "fonts//DejaVuSans.ttf"):
        with pytest.raises(RefusedURL):
            static_path_for(static_url(path))
    with pytest.raises(RefusedURL):
        static_path_for(static_url("letters/letter.css") + "?v=1")


def test_it_serves_our_static_files_from_disk() -> None:
    response = make_url_fetcher().fetch(static_url("fonts/DejaVuSans.ttf"))
    assert response.content_type == "font/ttf"
    assert len(response.read()) > 100_000
    assert BASE_URL.startswith(STATIC_ORIGIN)


def test_it_accepts_only_small_image_data_urls() -> None:
    assert decode_data_url("data:image/svg+xml,%3Csvg%2F%3E") == ("image/svg+xml", b"<svg/>")
    with pytest.raises(RefusedURL):
        decode_data_url("data:image/svg+xml," + "A" * MAX_DATA_URL)
    with pytest.raises(RefusedURL):
        decode_data_url("data:text/html,<script>x</script>")
    with pytest.raises(RefusedURL):
        decode_data_url("data:text/css,@import url(http://x)")


def test_it_escapes_the_reference_in_the_footer_stylesheet() -> None:
    from dsar.letters.render import footer_css

    css = footer_css("en", 'X" } @import url(http://203.0.113.9/z.css); {')
    assert "@import" not in css and "http" not in css and css.count('"') == 4


def test_it_prints_a_hostile_reference_in_the_footer_literally(no_network) -> None:
    letter = replace(sample_letters("en")["mandate"], reference='R"}@import url(x);')
    text = pdf_text(render_pdf(letter))
    assert text.count('R"}@import url(x);') >= 3  # info block, subject, footer
