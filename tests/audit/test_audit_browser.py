"""The HTML audit report in a real headless browser (Debian ``chromium``).

``tasks/install_browser.sh`` installs it in CI; without a Chromium binary these tests skip
and say why.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from openmodel_gov.audit import example_dir, load_audit_config

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
WIDTH, HEIGHT = 1280, 2000


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no Chromium binary on PATH (looked for: "
        + ", ".join(BROWSERS)
        + "); install it with: bash tasks/install_browser.sh"
    )


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    config = load_audit_config(example_dir() / "audit.yaml")
    report = config.run(pii_scan=False, clock=lambda: datetime(2026, 1, 1, tzinfo=timezone.utc))
    return report.write(out)["html"]


def _run(browser: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=90,
            check=False,
        )


def _decode_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Minimal PNG reader (8-bit RGB/RGBA, non-interlaced): width, height, rows, channels."""
    np = pytest.importorskip("numpy")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = bit_depth = color_type = interlace = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, bit_depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert (bit_depth, interlace) == (8, 0)
    channels = {2: 3, 6: 4}[color_type]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        start = y * (stride + 1)
        row_filter = raw[start]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=start + 1).copy()
        if row_filter == 1:  # Sub: running sum per channel (uint8 wraps modulo 256)
            line = np.cumsum(line.reshape(-1, channels), axis=0, dtype=np.uint8).reshape(-1)
        elif row_filter == 2:  # Up
            line = line + prev
        elif row_filter in (3, 4):  # Average / Paeth: sequential along the row
            cur = bytearray(line.tobytes())
            up_row = prev.tobytes()
            for i in range(stride):
                left = cur[i - channels] if i >= channels else 0
                up = up_row[i]
                if row_filter == 3:
                    cur[i] = (cur[i] + ((left + up) >> 1)) & 0xFF
                    continue
                upleft = up_row[i - channels] if i >= channels else 0
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upleft
                cur[i] = (cur[i] + pred) & 0xFF
            line = np.frombuffer(bytes(cur), dtype=np.uint8).copy()
        rows.append(line.tobytes())
        prev = line
    return width, height, rows, channels


def _has_color(rows: list[bytes], channels: int, rgb: tuple[int, int, int]) -> bool:
    target = bytes(rgb)
    for row in rows[::4]:
        for x in range(0, len(row), channels * 2):
            if row[x : x + 3] == target:
                return True
    return False


def test_report_renders_in_chromium_screenshot(report_html: Path, tmp_path: Path) -> None:
    browser = _browser()
    shot = tmp_path / "report.png"
    proc = _run(
        browser, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", report_html.as_uri()
    )
    assert shot.is_file(), proc.stderr.decode(errors="replace")[-2000:]
    width, height, rows, channels = _decode_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    distinct = {row[x : x + 3] for row in rows[::16] for x in range(0, len(row), channels * 8)}
    assert len(distinct) > 20, "the screenshot looks blank"
    # the RAG badges and cells are painted with the report's colors
    assert _has_color(rows, channels, (0xA7, 0xE3, 0xB5)), "no green cell rendered"
    assert _has_color(rows, channels, (0xFC, 0xD6, 0x8A)), "no amber cell rendered"


def test_report_dom_in_chromium(report_html: Path) -> None:
    browser = _browser()
    proc = _run(browser, "--dump-dom", report_html.as_uri())
    dom = proc.stdout.decode("utf-8", errors="replace")
    assert "<h1>Audit report: tiny-helpdesk-1b 0.1.0</h1>" in dom
    assert 'id="summary"' in dom
    assert dom.index('id="summary"') < dom.index('id="section-compliance"')


SECTIONS = (
    "summary", "plan", "questions", "section-card", "section-openness", "section-licenses",
    "section-manifests", "section-pii", "section-compliance", "inputs", "sign-off",
)  # fmt: skip
WIDTHS = {"desktop": 1280, "narrow": 420}


def _only(page: str, anchor: str) -> str:
    """The page with every top-level block but one hidden (one screenshot per section)."""
    rule = f"main>*:not(#{anchor}){{display:none!important}}"
    return page.replace("</style>", rule + "</style>", 1)


def test_screenshot_per_section_desktop_and_narrow(report_html: Path, tmp_path: Path) -> None:
    """Each section renders on its own at desktop and phone widths, with its pictures.

    Set ``OMG_SCREENSHOTS=<folder>`` to keep the PNGs for a look.
    """
    import os

    browser = _browser()
    keep = os.environ.get("OMG_SCREENSHOTS")
    out = Path(keep) if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    page = report_html.read_text(encoding="utf-8")
    assert "<script" not in page
    assert page.count("<svg") >= 2  # openness bars, PII bars (no regulation applies: no heatmap)
    assert page.count('role="img"') == page.count("<svg")  # every picture has a text alternative
    for anchor in SECTIONS:
        assert f'id="{anchor}"' in page, anchor
        single = tmp_path / f"{anchor}.html"
        single.write_text(_only(page, anchor), encoding="utf-8")
        for label, width in WIDTHS.items():
            shot = out / f"{anchor}-{label}.png"
            proc = _run(
                browser, f"--screenshot={shot}", f"--window-size={width},1400", single.as_uri()
            )
            assert shot.is_file(), proc.stderr.decode(errors="replace")[-2000:]
            w, _, rows, channels = _decode_png(shot.read_bytes())
            assert w == width
            distinct = {r[x : x + 3] for r in rows[::8] for x in range(0, len(r), channels * 4)}
            assert len(distinct) > 3, f"{anchor} at {label} width looks blank"


def test_report_prints_to_pdf(report_html: Path, tmp_path: Path) -> None:
    """The print CSS gives a multi-page PDF (sign-off on a page of its own)."""
    browser = _browser()
    pdf = tmp_path / "report.pdf"
    proc = _run(browser, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report_html.as_uri())
    assert pdf.is_file(), proc.stderr.decode(errors="replace")[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2
