"""RSS and Atom feeds read from files: entries, bodies, hints, and broken feeds."""

from __future__ import annotations

from pathlib import Path

from newstrace.ingest import read
from newstrace.records import Failure, RawDocument

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Wire</title><link>https://wire.example/</link><language>en-gb</language>
<item>
  <title>Talks &amp; tensions</title>
  <link>https://wire.example/talks</link>
  <pubDate>Tue, 01 Feb 2022 10:00:00 GMT</pubDate>
  <dc:creator>Jane Roe</dc:creator>
  <description>Short teaser.</description>
  <content:encoded><![CDATA[<p>Full body, first paragraph.</p><p>Second paragraph.</p>]]></content:encoded>
</item>
<item>
  <title>Summary only</title>
  <link>https://wire.example/summary</link>
  <description>Only a plain summary here.</description>
</item>
<item><title>Nothing at all</title><link>https://wire.example/empty</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Atom wire</title><id>urn:x</id><updated>2022-02-03T00:00:00Z</updated>
  <entry>
    <title>Atom entry</title><id>urn:1</id>
    <link rel="alternate" href="https://atom.example/1"/>
    <published>2022-02-02T08:00:00Z</published>
    <updated>2022-02-03T09:00:00Z</updated>
    <author><name>Ann Lee</name></author><author><name>Bo Kim</name></author>
    <summary>Teaser.</summary>
    <content type="html">&lt;p&gt;The full Atom body.&lt;/p&gt;&lt;p&gt;More.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Updated only</title><id>urn:2</id>
    <link rel="alternate" href="https://atom.example/2"/>
    <updated>2022-02-03T09:00:00Z</updated>
    <content type="text">Plain text content.</content>
  </entry>
</feed>"""


def test_rss_entries(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_bytes(RSS)
    full, summary, empty = list(read([str(path)]))
    assert isinstance(full, RawDocument)
    assert full.source == f"{path}#1"
    assert full.kind == "html"
    assert full.content == b"<p>Full body, first paragraph.</p><p>Second paragraph.</p>"
    assert full.hints.title == "Talks & tensions"
    assert full.hints.url == "https://wire.example/talks"
    assert full.hints.published == "Tue, 01 Feb 2022 10:00:00 GMT"
    assert full.hints.authors == ("Jane Roe",)
    assert full.hints.language == "en-gb"
    assert isinstance(summary, RawDocument)
    assert (summary.source, summary.kind) == (f"{path}#2", "text")
    assert summary.content == b"Only a plain summary here."
    assert isinstance(empty, Failure)
    assert (empty.source, empty.reason) == (f"{path}#3", "empty")
    assert "'Nothing at all'" in empty.message


def test_atom_entries(tmp_path: Path) -> None:
    path = tmp_path / "atom.xml"
    path.write_bytes(ATOM)
    first, second = list(read([str(path)]))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.kind == "html" and b"The full Atom body." in first.content
    assert first.hints.authors == ("Ann Lee", "Bo Kim")
    assert first.hints.published == "2022-02-02T08:00:00Z"
    assert first.hints.language == "de"
    # `updated` is when the entry changed, not when it was published.
    assert second.hints.published is None
    assert second.kind == "text" and second.content == b"Plain text content."


def test_feed_under_a_txt_name_is_still_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_bytes(RSS)
    assert [i.source for i in read([str(path)])] == [f"{path}#1", f"{path}#2", f"{path}#3"]


def test_broken_feed_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    raw = b"this is not a feed at all"
    path.write_bytes(raw)
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure)
    assert (item.reason, item.kind, item.raw) == ("bad-feed", "quarantine", raw)


def test_feed_without_entries(tmp_path: Path) -> None:
    path = tmp_path / "quiet.rss"
    path.write_bytes(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
    )
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure) and item.reason == "empty"


def test_feed_file_never_touches_the_network(tmp_path: Path) -> None:
    """follow_links only applies to feeds read from URLs; a file's links stay links."""
    from newstrace.ingest import ReadOptions

    path = tmp_path / "wire.rss"
    path.write_bytes(RSS)
    items = list(read([str(path)], options=ReadOptions(follow_links=True)))
    assert [i.source for i in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
