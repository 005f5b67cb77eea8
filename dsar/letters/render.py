"""The ONE letter renderer: LetterData -> presenter -> Django template -> HTML -> PDF (WeasyPrint).

Safety: the HTML contains untrusted text (names, addresses, identifying details). Django's
autoescaping keeps it text, and the URL fetcher below is the second wall: it serves only our
own files under STATICFILES_DIRS (by a fixed, made-up origin) and a data: URL no bigger than a
QR code, and raises for everything else, so a letter can never read a local file or open a
connection, whatever slips into the markup.

Speed: WeasyPrint is imported lazily (the web process rarely renders). Per process we keep one
FontConfiguration (so @font-face fonts are loaded once), the parsed stylesheets and an image
cache; render_many() builds them before it forks its workers, which use them as inherited.
pydyf, WeasyPrint's PDF writer, is made to deflate at zlib level 6 instead of 9
(configure_pdf_writer). What each choice saves is measured in bench/RESULTS.md.
"""
from __future__ import annotations

import atexit
import base64
import gc
import logging
import multiprocessing
import os
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

from dsar.letters.data import LetterData
from dsar.letters.phrases import phrases
from dsar.letters.presenters import LetterPresenter, present

if TYPE_CHECKING:  # pragma: no cover
    from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Static files are addressed through this origin. It cannot resolve (.invalid is reserved), and
# the fetcher maps it to disk itself, so no request ever leaves the process.
STATIC_ORIGIN = "https://static.dsar.invalid"
BASE_URL = f"{STATIC_ORIGIN}/"
# A QR code for a reference is ~3 KB as an SVG data URI; anything much bigger is not ours.
MAX_DATA_URL = 16 * 1024
DATA_URL_TYPES = ("image/svg+xml", "image/png")
CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
LETTER_CSS = "letters/letter.css"
# Tagged PDF for screen readers, with the title and language in the metadata (costs ~8% of a
# render, see bench/RESULTS.md).
PDF_VARIANT = "pdf/ua-1"
# pydyf, WeasyPrint's PDF writer, deflates every stream at zlib level 9. For a letter's page and
# font streams level 9 costs ~5 ms (8% of a render) more than level 6, zlib's own default, and
# makes the PDF only ~1.6% smaller (bench/RESULTS.md). pydyf has no setting for it, so the
# renderer hands pydyf a zlib whose compressobj works at this level.
PDF_ZLIB_LEVEL = 6


class RefusedURL(ValueError):
    """A letter asked for something other than our own static files."""


def static_url(path: str) -> str:
    """The URL under which the renderer serves static/<path> to WeasyPrint."""
    return f"{STATIC_ORIGIN}{settings.STATIC_URL}{path}"


def static_path_for(url: str) -> Path:
    """Map an URL to a file under STATICFILES_DIRS, or raise RefusedURL.

    Only `STATIC_ORIGIN + STATIC_URL + relative path` is accepted; the path must not contain
    `..`, backslashes or NULs and must resolve (after symlinks) inside a static directory."""
    parts = urlsplit(url)
    prefix = settings.STATIC_URL
    if f"{parts.scheme}://{parts.netloc}" != STATIC_ORIGIN or parts.query or parts.fragment:
        raise RefusedURL(f"not a static URL: {url[:80]!r}")
    if not parts.path.startswith(prefix):
        raise RefusedURL(f"outside static: {url[:80]!r}")
    relative = unquote(parts.path[len(prefix):])
    segments = relative.split("/")
    if not relative or "\\" in relative or "\x00" in relative or any(s in ("", ".", "..") for s in segments):
        raise RefusedURL(f"bad static path: {url[:80]!r}")
    for directory in settings.STATICFILES_DIRS:
        root = Path(directory).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise RefusedURL(f"no such static file: {url[:80]!r}")


def decode_data_url(url: str) -> tuple[str, bytes]:
    """Decode a small image data: URL (the QR code), or raise RefusedURL."""
    if len(url) > MAX_DATA_URL:
        raise RefusedURL(f"data: URL of {len(url)} characters is larger than a QR code")
    header, sep, payload = url[len("data:"):].partition(",")
    if not sep:
        raise RefusedURL("malformed data: URL")
    media_type, *params = header.split(";")
    if media_type.lower() not in DATA_URL_TYPES:
        raise RefusedURL(f"data: URL of type {media_type[:40]!r}")
    body = base64.b64decode(payload) if "base64" in params else unquote(payload).encode()
    return media_type.lower(), body


@lru_cache(maxsize=1)
def _fetcher_class() -> type[URLFetcher]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves static files and small image data: URLs; raises for every other URL.

        fail_on_errors makes a refusal stop the rendering instead of becoming a warning and a
        silently missing part of a letter."""

        def __init__(self) -> None:
            super().__init__(fail_on_errors=True, allowed_protocols=())

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            return self.respond(url)

        def respond(self, url: str) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                media_type, body = decode_data_url(url)
                return URLFetcherResponse(url, body, {"Content-Type": media_type})
            path = static_path_for(url)
            content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


def make_url_fetcher() -> URLFetcher:
    """A fresh static-only fetcher (tests subclass its class to record calls)."""
    return _fetcher_class()()


class _ZlibAtLevel:
    """The zlib module as pydyf sees it: everything delegated, compressobj at PDF_ZLIB_LEVEL."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(PDF_ZLIB_LEVEL, *args, **kwargs)


def configure_pdf_writer() -> None:
    """Make pydyf deflate at PDF_ZLIB_LEVEL in this process (idempotent; the toolkit calls it)."""
    import pydyf

    if not isinstance(pydyf.zlib, _ZlibAtLevel):
        pydyf.zlib = _ZlibAtLevel()


@dataclass
class _Toolkit:
    """What one process reuses between letters: fonts, parsed CSS, decoded images.

    WeasyPrint copies the @font-face files into a temporary folder that the FontConfiguration
    deletes when it is freed; `owner_pid` is the process that built it and so owns that folder."""

    fetcher: Any
    font_config: Any
    stylesheets: list[Any]
    image_cache: dict[str, Any]
    owner_pid: int
    extra_sheets: dict[str, Any] = field(default_factory=dict)


def css_string(text: str) -> str:
    """`text` as a CSS string literal with every character hex-escaped: nothing in it can end
    the string or the rule, whatever it contains."""
    return '"' + "".join(f"\\{ord(char):x} " for char in text) + '"'


def footer_css(language: str, reference: str) -> str:
    """The page footer, one line at the bottom right: "Ref. <reference>   Page X of Y".

    A per-letter sheet with one declaration rather than `string-set` from the body: string-set
    makes WeasyPrint lay the pages out again (measured: about a quarter of the render time).
    One margin box, not two (reference left, page number right): each margin box costs about
    1.3 ms per page to lay out (bench/RESULTS.md)."""
    labels = phrases(language)
    page, of = labels["page_labels"]
    # No-break spaces keep a visible gap between the reference and the page number.
    before = css_string(f"{labels['reference_label']} {reference}\u00a0\u00a0\u00a0\u00a0{page} ")
    return f"@page {{ @bottom-right {{ content: {before} counter(page) {css_string(f' {of} ')} counter(pages) }} }}"


def _build_toolkit(fetcher: Any) -> _Toolkit:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    configure_pdf_writer()
    font_config = FontConfiguration()
    base = CSS(url=static_url(LETTER_CSS), base_url=BASE_URL, url_fetcher=fetcher, font_config=font_config)
    return _Toolkit(fetcher, font_config, [base], {}, owner_pid=os.getpid())


_toolkit: _Toolkit | None = None


def _process_toolkit() -> _Toolkit:
    """The toolkit of this process, built on first use.

    A process forked after its parent built one (render_many's workers) uses the inherited
    toolkit: its fonts are already loaded in the copied memory. Replacing it would free the
    inherited FontConfiguration and so delete the parent's font folder."""
    global _toolkit
    if _toolkit is None:
        _toolkit = _build_toolkit(make_url_fetcher())
    return _toolkit


@atexit.register
def release_renderer() -> None:
    """Free this process's toolkit while the interpreter is still whole, so that WeasyPrint
    removes its temporary font folder (at interpreter shutdown that cleanup fails and the
    folder stays in the temp directory). Runs at exit; processes that end with os._exit (a
    Celery pool child) call it themselves (dsar/celery.py). An inherited toolkit is left to
    its owner; workers forked by render_many never build one."""
    global _toolkit
    if _toolkit is not None and _toolkit.owner_pid == os.getpid():
        _toolkit = None
        gc.collect()


def render_html(letter: LetterData | LetterPresenter) -> str:
    """The letter as HTML (autoescaped). Accepts a presenter to avoid building it twice."""
    presenter = letter if isinstance(letter, LetterPresenter) else present(letter)
    return render_to_string(presenter.template_name, {"p": presenter})


def render_pdf(letter: LetterData, *, url_fetcher: Any = None, pdf_variant: str | None = PDF_VARIANT) -> bytes:
    """Render one letter to PDF bytes (PDF/UA-1: tagged, with title and language).

    `url_fetcher` replaces the static-only fetcher (for tests that record every fetch); the
    per-process caches are then bypassed so that every resource goes through it.
    `pdf_variant=None` drops the tagging (the benchmark measures what it costs)."""
    from weasyprint import CSS, HTML

    presenter = present(letter)
    html = render_html(presenter)
    toolkit = _process_toolkit() if url_fetcher is None else _build_toolkit(url_fetcher)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=toolkit.fetcher)
    footer = CSS(string=footer_css(presenter.language, presenter.reference), font_config=toolkit.font_config)
    pdf = document.write_pdf(
        stylesheets=[*toolkit.stylesheets, footer],
        font_config=toolkit.font_config,
        cache=toolkit.image_cache,
        pdf_variant=pdf_variant,
    )
    logger.info("rendered letter kind=%s lang=%s bytes=%d", letter.kind, letter.language, len(pdf))
    return pdf


def extra_stylesheet(path: str) -> Any:
    """A stylesheet under static/ besides the letter's (e.g. the dossier's), parsed once per
    process and kept with the toolkit."""
    from weasyprint import CSS

    toolkit = _process_toolkit()
    sheet = toolkit.extra_sheets.get(path)
    if sheet is None:
        sheet = CSS(url=static_url(path), base_url=BASE_URL, url_fetcher=toolkit.fetcher,
                    font_config=toolkit.font_config)
        toolkit.extra_sheets[path] = sheet
    return sheet


def layout_document(html: str, *, language: str, reference: str, stylesheets: Sequence[str] = (),
                    pdf_variant: str | None = PDF_VARIANT) -> Any:
    """Lay `html` out as a WeasyPrint document with the letter stylesheet, `stylesheets` (paths
    under static/) and the reference footer, without writing it: for documents assembled from
    several parts (the evidence dossier: its own pages, then each letter). Same fetcher, so the
    same wall: only our static files."""
    from weasyprint import CSS, HTML

    toolkit = _process_toolkit()
    footer = CSS(string=footer_css(language, reference), font_config=toolkit.font_config)
    extra = [extra_stylesheet(path) for path in stylesheets]
    return HTML(string=html, base_url=BASE_URL, url_fetcher=toolkit.fetcher).render(
        stylesheets=[*toolkit.stylesheets, *extra, footer],
        font_config=toolkit.font_config,
        cache=toolkit.image_cache,
        pdf_variant=pdf_variant,
    )


def layout_letter(letter: LetterData) -> Any:
    """One letter laid out (not written): a part of a larger document."""
    presenter = present(letter)
    return layout_document(render_html(presenter), language=presenter.language, reference=presenter.reference)


def write_documents(documents: Sequence[Any], *, pdf_variant: str | None = PDF_VARIANT) -> bytes:
    """The pages of several laid-out documents, in order, as one PDF (the first one's metadata)."""
    first = documents[0]
    pages = [page for document in documents for page in document.pages]
    return first.copy(pages).write_pdf(pdf_variant=pdf_variant)


def _render_in_worker(letter: LetterData) -> bytes:
    return render_pdf(letter)


# A letter makes some hundred thousand short-lived objects (boxes, styles, PDF objects) and
# WeasyPrint's box tree is cyclic, so the collector runs many times per letter. In a worker
# that only renders, collecting the youngest generation every 20,000 allocations instead of
# 700 (and the older ones rarely) keeps memory bounded (cycles still go within a letter or
# two) and saves ~7 ms of CPU per letter (bench/RESULTS.md).
WORKER_GC_THRESHOLD = (20_000, 20, 20)


def _init_worker() -> None:
    """Pool initializer: freeze what came over in the fork (the parent's toolkit with its loaded
    fonts and parsed stylesheets included) so that no collection walks these long-lived objects
    again, and collect the young generations less often."""
    _process_toolkit()
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def render_many(letters: Iterable[LetterData], processes: int = 2) -> list[bytes]:
    """Render many letters, each to its own PDF, on `processes` worker processes.

    Order is kept. Workers are forked (Django is already set up in the parent) after the parent
    has built its toolkit, so they start with the fonts loaded and the stylesheets parsed and
    create no font folders of their own; letters go out in small chunks."""
    batch: Sequence[LetterData] = list(letters)
    # A Celery prefork worker is a daemon process, and daemons may not start children: render
    # in the worker itself there (Celery already spreads work across processes).
    if processes <= 1 or len(batch) <= 1 or multiprocessing.current_process().daemon:
        return [render_pdf(letter) for letter in batch]
    # Small chunks: when the queue runs dry one worker idles while the other finishes its last
    # chunk, so a chunk of 16 letters (~1 s) cost ~3% of a 500-letter batch's wall time.
    chunksize = max(1, min(2, len(batch) // (processes * 4)))
    context = multiprocessing.get_context("fork")
    _process_toolkit()
    # Objects inherited from this process move to the permanent generation: the workers' GC
    # then never walks (and so never copies) them. Measured: ~7% less CPU per letter.
    gc.freeze()
    try:
        with context.Pool(processes, initializer=_init_worker) as pool:
            return pool.map(_render_in_worker, batch, chunksize=chunksize)
    finally:
        gc.unfreeze()
