"""Where a cited source may not live: one rule for the articles and the medicine reference.

Issue 16 found sources cited through finance and stock-news sites, document-sharing
mirrors, leaflet and exam-prep copies, a personal blog, machine (API) addresses and
retired or wrong-page addresses. A caregiver should be sent to the publisher of the
fact: the regulator, the label on DailyMed, the journal, the guideline body.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

REFUSED_HOSTS: dict[str, str] = {
    # finance and stock news
    "markets.businessinsider.com": "finance news", "finanzen.net": "finance news",
    "finanzen.at": "finance news", "finanznachrichten.de": "finance news",
    "stockwatch.live": "stock news", "stocktitan.net": "stock news",
    "marketscreener.com": "stock news", "zonebourse.com": "stock news",
    "benzinga.com": "stock news", "secwatch.observer": "stock news",
    # document-sharing and manual mirrors
    "docslib.org": "document mirror", "yumpu.com": "document mirror",
    "paperzz.com": "document mirror", "docest.com": "document mirror",
    "manualslib.de": "document mirror", "manualslib.com": "document mirror",
    "fda.report": "mirror of FDA documents", "fdocuments.net": "document mirror",
    "vdocumente.com": "document mirror", "studylib.net": "document mirror",
    # leaflet copies, exam preparation, notes
    "holzer.org": "leaflet copy", "themeditary.com": "leaflet copy",
    "pharmacy-notebook.com": "notes site", "maestrodatabase.com": "press-release copy",
    "examzify.com": "exam preparation", "makindo.co.uk": "notes site",
    "medbroadcast.com": "leaflet copy",
    # personal blogs
    "lovealwayswinz.net": "personal blog",
    # machine addresses
    "api.fda.gov": "machine (API) address; cite the label or the FDA page",
}
"""Host (or a parent domain of it) -> why it is refused."""

REFUSED_ADDRESSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"fda\.gov/.*/ucm\d+\.htm", re.I), "retired FDA 'ucm' page"),
    (re.compile(r"dailymed\.nlm\.nih\.gov/dailymed/search\.cfm", re.I),
     "DailyMed search page; cite the label (drugInfo.cfm?setid=...)"),
    (re.compile(r"ema\.europa\.eu/ema/index\.jsp", re.I), "pre-2018 EMA address"),
    (re.compile(r"cochranelibrary\.com/.*/full/[a-z]{2}$", re.I),
     "a translation; cite the English review"),
    (re.compile(r"request-a-rep", re.I), "a sales-representative request page"),
)


def refused(url: str) -> str | None:
    """Why ``url`` may not be cited, or None when it may."""
    host = (urlsplit(url).hostname or "").lower()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        reason = REFUSED_HOSTS.get(".".join(labels[i:]))
        if reason:
            return f"{host}: {reason}"
    for pattern, reason in REFUSED_ADDRESSES:
        if pattern.search(url):
            return reason
    return None
