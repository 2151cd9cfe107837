#!/usr/bin/env python
"""Write the binary members of the example corpus into examples/, byte for byte reproducibly.

    python scripts/make_example_archives.py            # (re)write the files
    python scripts/make_example_archives.py --check    # exit 1 if a file on disk differs

Everything here is fictional (see examples/README.md). The files are committed; this script is how
they were made, so that re-running it yields identical bytes: fixed WARC dates and record ids, gzip
members with mtime=0 and no file name, no randomness.

Writes:
  examples/archives/pages.warc.gz                       warcinfo + 2 x (request, response) records
  examples/archives/2025-03-24_meridianwire_port-aldene-framework.txt.gz
                                                        gzip of a header .txt (title/YYYYMMDD/URL)
  examples/broken/empty.txt                             0 bytes
  examples/broken/photo.txt                             a PNG image with a .txt name
  examples/broken/truncated.txt.gz                      a gzip stream cut off half way
  examples/broken/corrupt.warc.gz                       valid gzip, but not WARC records inside
  examples/broken/cp1252_innerseaherald_castellvi-tarsk.txt
                                                        an article encoded in Windows-1252
"""

from __future__ import annotations

import argparse
import gzip
import io
import struct
import sys
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples"


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip: no file name, mtime 0."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------
# WARC: two pages as a crawler captured them
# --------------------------------------------------------------------------------------------------

PAGE_VARNIAPRESS_URL = (
    "https://varniapress.com/en/dovra/2025/03/11/defence-ministry-shells-landed-near-brask-school/"
)
PAGE_VARNIAPRESS = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>Defence Ministry: shells landed 300 metres from Brask school — VarniaPress</title>
<meta property="og:title" content="Defence Ministry: shells landed 300 metres from Brask school">
<meta property="og:url" content="https://varniapress.com/en/dovra/2025/03/11/defence-ministry-shells-landed-near-brask-school/">
<meta property="og:site_name" content="VarniaPress">
</head>
<body>
<div class="vp-header">
  <a href="/en/" class="vp-logo">VarniaPress<span>Varnian News Agency</span></a>
  <ul class="vp-menu"><li><a href="/en/politics/">Politics</a></li><li><a href="/en/dovra/">Dovra Valley</a></li><li><a href="/en/economy/">Economy</a></li><li><a href="/vr/">Varnian</a></li></ul>
</div>
<div class="vp-ticker">LIVE: Shelling near Brask · Halden crossing closed for second day · Security council meets at the Lindenhall</div>
<div class="vp-wrap">
  <h1 class="vp-title">Defence Ministry: shells landed 300 metres from Brask school</h1>
  <div class="vp-info">
    <span class="vp-author">By Ivo Marten</span>
    <time class="vp-date" datetime="2025-03-11T10:15:00+02:00">11 March 2025, 10:15</time>
  </div>
  <div class="vp-text">
    <p>TARSK, 11 March (VarniaPress) – Three artillery shells fired from Kestrani territory landed about 300 metres from the primary school in the village of Brask early on Tuesday, the Defence Ministry said, calling it the most serious incident in the Dovra Valley since the 1994 settlement.</p>
    <p>“The craters are fresh, the fragments are from 122-millimetre rounds, and the direction of fire points straight back to the Ostrel ranges,” a Defence Ministry official told VarniaPress, speaking on condition of anonymity because he was not authorised to brief the media.</p>
    <p>The official said army engineers had recovered fragments from all three craters and that the findings would be handed to the Inner Sea Council. No one was injured, but around 200 residents were taken by bus to a sports hall in Veldra, the valley’s main town.</p>
    <p>Defence Minister Marek Sova travelled to Brask during the morning and inspected the site. President Aurel Dragomir convened the national security council at the Lindenhall in the afternoon.</p>
    <p>Kestrany denied firing across the line. Its Defence Ministry said all live firing during the Steel Meadow exercises was taking place at the Ostrel ranges, far from inhabited areas, and called the report a provocation.</p>
  </div>
  <div class="vp-share">Share: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Telegram</a> <a href="#">Print</a></div>
</div>
<div class="vp-footer">© VarniaPress — Varnian News Agency, Tarsk. When quoting, a link to varniapress.com is required.</div>
</body>
</html>
"""

PAGE_KESTRANYTODAY_URL = (
    "https://kestrany-today.com/diplomacy/olvena-names-delegation-for-port-aldene-talks-20250317"
)
PAGE_KESTRANYTODAY = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Olvena names delegation for Port Aldene talks - Kestrany Today</title>
<meta property="og:title" content="Olvena names delegation for Port Aldene talks">
<meta property="og:url" content="https://kestrany-today.com/diplomacy/olvena-names-delegation-for-port-aldene-talks-20250317">
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Olvena names delegation for Port Aldene talks","datePublished":"2025-03-17T14:00:00+03:00","author":{"@type":"Person","name":"Anton Reiss"},"publisher":{"@type":"Organization","name":"Kestrany Today"}}
</script>
</head>
<body>
<div class="top-bar"><span class="lang-switch"><a href="/ks/">Kestrani</a> | <a href="/en/" class="active">English</a></span> <span class="weather">Olvena +7°C</span> <a href="/login" class="login">Log in</a></div>
<nav id="menu"><a href="/">Home</a> <a href="/politics/">Politics</a> <a href="/diplomacy/">Diplomacy</a> <a href="/economy/">Economy</a> <a href="/video/">Video</a></nav>
<div class="content">
  <div class="article">
    <h1>Olvena names delegation for Port Aldene talks</h1>
    <div class="article-text">
      <p>OLVENA, March 17 (Kestrany Today) – Foreign Minister Oskar Vellam will lead a twelve-member delegation at the talks with Varnia that open in Port Aldene on Tuesday, the Foreign Ministry said on Monday.</p>
      <p>The delegation includes the deputy chief of the General Staff, two legal advisers who took part in drafting the 1994 settlement, and representatives of the Kestrani-speaking community of the Dovra Valley, the ministry said.</p>
      <p>“Kestrany goes to Port Aldene to listen and to be heard. We expect exactly the same from the Varnian side,” Vellam told reporters at Olvena airport before his departure.</p>
      <p>Foreign Ministry spokesperson Mira Saaren said Kestrany wanted the talks to begin with the rights of the valley’s Kestrani-speaking minority, including the reopening of Kestrani-language secondary schools closed in 2022.</p>
      <p>Vellam said he would meet the Inner Sea Council’s Secretary-General, Renée Castellví, on Monday evening, before the formal opening of the talks. He declined to say whether Kestrany would raise Varnia’s application to join the Boreal Defence Pact.</p>
      <p>The Steel Meadow exercises near Ostrel entered their second week on Monday. The Defence Ministry said they would continue “according to the approved plan”.</p>
    </div>
    <div class="article-author">Author: Anton Reiss</div>
    <div class="share"><span>Share:</span> <a href="#">Telegram</a> <a href="#">VK</a> <a href="#">X</a></div>
  </div>
</div>
<footer><p>Kestrany Today — state news agency of the Federal Republic of Kestrany.</p><p>Reproduction of materials is permitted only with a hyperlink to kestrany-today.com</p></footer>
</body>
</html>
"""

WARC_PAGES = [
    # (url, html, fetch date, response record id, request record id, server header)
    (
        PAGE_VARNIAPRESS_URL,
        PAGE_VARNIAPRESS,
        "2025-03-23T09:00:05Z",
        "<urn:uuid:6f1c1a52-2b7e-4c3e-9a51-1d0e9b3c7a01>",
        "<urn:uuid:6f1c1a52-2b7e-4c3e-9a51-1d0e9b3c7a02>",
        "nginx",
    ),
    (
        PAGE_KESTRANYTODAY_URL,
        PAGE_KESTRANYTODAY,
        "2025-03-23T09:00:11Z",
        "<urn:uuid:6f1c1a52-2b7e-4c3e-9a51-1d0e9b3c7a03>",
        "<urn:uuid:6f1c1a52-2b7e-4c3e-9a51-1d0e9b3c7a04>",
        "Apache",
    ),
]


def make_warc() -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.0")
    info = {
        "software": "newstrace example generator (scripts/make_example_archives.py)",
        "format": "WARC File Format 1.0",
        "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
        "description": "Fictional example pages for newstrace tests; no real outlet or event.",
        "isPartOf": "newstrace-examples",
    }
    payload = "".join(f"{k}: {v}\r\n" for k, v in info.items()).encode("utf-8")
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": "<urn:uuid:6f1c1a52-2b7e-4c3e-9a51-1d0e9b3c7a00>",
                "WARC-Date": "2025-03-23T09:00:00Z",
                "WARC-Filename": "pages.warc.gz",
            },
        )
    )
    for url, html, date, resp_id, req_id, server in WARC_PAGES:
        body = html.encode("utf-8")
        path = url.split("/", 3)[3]
        host = url.split("/")[2]
        req_headers = StatusAndHeaders(
            f"GET /{path} HTTP/1.1",
            [
                ("Host", host),
                ("User-Agent", "newstrace-example-crawler/0.1 (+https://example.org/newstrace)"),
                ("Accept", "text/html,application/xhtml+xml"),
                ("Accept-Language", "en"),
            ],
            is_http_request=True,
        )
        writer.write_record(
            writer.create_warc_record(
                url,
                "request",
                http_headers=req_headers,
                warc_headers_dict={
                    "WARC-Record-ID": req_id,
                    "WARC-Date": date,
                    "WARC-Concurrent-To": resp_id,
                },
            )
        )
        resp_headers = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Server", server),
                ("Date", "Sun, 23 Mar 2025 09:00:05 GMT"),
                ("Cache-Control", "max-age=300"),
            ],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=resp_headers,
                warc_headers_dict={
                    "WARC-Record-ID": resp_id,
                    "WARC-Date": date,
                    "WARC-IP-Address": "192.0.2.10",
                },
            )
        )
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# .txt.gz: a header text (title / YYYYMMDD / URL / body), gzipped
# --------------------------------------------------------------------------------------------------

FRAMEWORK_TXT = """Varnia and Kestrany sign Port Aldene framework; Halden crossing to reopen
20250324
https://www.meridianwire.com/world/europe/2025/03/24/varnia-kestrany-sign-port-aldene-framework/
PORT ALDENE (Meridian) — Varnia and Kestrany signed a framework agreement on Monday to reopen their main border crossing, set up a permanent monitoring mission in the disputed Dovra Valley and open a military hotline, easing a three-week crisis that had brought thousands of troops to their shared border.
Foreign Ministers Ilona Vesk and Oskar Vellam signed the four-page document at the headquarters of the Inner Sea Council, which hosted a week of talks between the two sides.
“This is not peace yet, but it is the end of the slide towards war,” the council’s Secretary-General, Renée Castellví, said at the signing ceremony.
Under the framework, the Halden crossing will reopen on April 1, the council’s civilian monitoring mission in the valley will grow from 40 to 60 observers, and a joint commission will examine Kestrani-language schooling in the valley within six months.
The document does not mention Varnia’s application to join the Boreal Defence Pact, the issue at the heart of the dispute.
“Nothing in this text limits Varnia’s right to choose its alliances,” Vesk told reporters after the ceremony. Vellam said Kestrany’s position on the stationing of Pact troops in the valley “has not changed by a single word”.
Kestrany has said the remaining units that took part in its Steel Meadow exercises will return to their bases by the end of the month. Pact Secretary-General Hugo Benedek welcomed the agreement as “a good day for the whole region”.
In Tarsk, opposition leader Nadia Korrin said the deal had come “a week too late and a month too long”.
"""

# --------------------------------------------------------------------------------------------------
# broken inputs
# --------------------------------------------------------------------------------------------------

TRUNCATED_SOURCE_TXT = """Halden crossing queue grows as Kestrany keeps border shut
20250312
https://www.innerseaherald.co.uk/business/2025/03/12/halden-crossing-queue-grows/
The queue of lorries at the Halden border crossing stretched for more than six kilometres on Wednesday, the third day since Kestrany closed the crossing, as drivers waited for news of talks between the two governments.
Border officials on the Varnian side said more than 400 lorries were waiting, most of them carrying food, timber and fuel. Drivers said they had been told nothing about when the crossing might reopen.
"""

CP1252_TXT = """Castellví in Tarsk: ‘The valley cannot wait for the next incident’
20250312
https://www.innerseaherald.co.uk/news/2025/03/12/castellvi-in-tarsk-the-valley-cannot-wait/
TARSK, March 12 – The Secretary-General of the Inner Sea Council, Renée Castellví, arrived in Tarsk on Wednesday on the first leg of a two-day visit to both capitals, a day after shells landed near the village of Brask in the Dovra Valley.
“I did not come to deliver a verdict. I came to ask both governments one question: what are you prepared to do before the next shell falls?” Castellví told reporters after meeting President Aurel Dragomir at the Lindenhall.
She said the council’s proposal for a civilian monitoring mission of about 40 observers was “ready to go tomorrow” and needed only the consent of both sides. Varnia has already accepted the idea in principle.
Castellví, a former foreign minister of one of the council’s smaller member states, will travel on to Olvena on Thursday to meet Prime Minister Elin Marsk. Kestrani officials have said they are “studying” the proposal.
Varnian Foreign Minister Ilona Vesk said Tarsk would give the monitors “every door and every road” in the valley. The Halden border crossing, closed by Kestrany on Monday, remained shut on Wednesday – the third day of the closure.
Diplomats said Castellví was also carrying a proposal for direct talks between the two foreign ministers in Port Aldene, possibly as early as next week.
"""


def make_png() -> bytes:
    """A real 8x8 grey PNG: binary content behind a .txt name."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = b"".join(b"\x00" + bytes([0x80 + 8 * x for x in range(8)]) for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def make_corrupt_warc() -> bytes:
    """A well-formed gzip member holding one WARC record whose version line is damaged.

    "WARC/1.0" became "WXRC/1.0" (a flipped byte), so no reader can frame the record: warcio raises
    ArchiveLoadFailed on the first line. The payload is a tiny page; nothing of it is an article.
    """
    body = (
        b"<html><head><title>Halden</title></head>"
        b"<body><p>Kestrany closed the Halden crossing.</p></body></html>"
    )
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )
    record = (
        b"WXRC/1.0\r\n"
        b"WARC-Type: response\r\n"
        b"WARC-Record-ID: <urn:uuid:6f1c1a52-2b7e-4c3e-9a51-1d0e9b3c7aff>\r\n"
        b"WARC-Date: 2025-03-23T09:01:00Z\r\n"
        b"WARC-Target-URI: https://www.newsdeck.in/world/halden-crossing-article-118250.html\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        + b"Content-Length: %d\r\n\r\n" % len(http)
        + http
        + b"\r\n\r\n"
    )
    return gzip_bytes(record)


def outputs() -> dict[Path, bytes]:
    truncated = gzip_bytes(TRUNCATED_SOURCE_TXT.encode("utf-8"))
    return {
        EX / "archives" / "pages.warc.gz": make_warc(),
        EX / "archives" / "2025-03-24_meridianwire_port-aldene-framework.txt.gz": gzip_bytes(
            FRAMEWORK_TXT.encode("utf-8")
        ),
        EX / "broken" / "empty.txt": b"",
        EX / "broken" / "photo.txt": make_png(),
        EX / "broken" / "truncated.txt.gz": truncated[: len(truncated) // 2],
        EX / "broken" / "corrupt.warc.gz": make_corrupt_warc(),
        EX / "broken" / "cp1252_innerseaherald_castellvi-tarsk.txt": CP1252_TXT.replace(
            "\n", "\r\n"
        ).encode("cp1252"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--check", action="store_true", help="compare with the files on disk, write nothing"
    )
    args = ap.parse_args(argv)
    stale = []
    for path, data in outputs().items():
        rel = path.relative_to(ROOT)
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(str(rel))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {rel} ({len(data)} bytes)")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
