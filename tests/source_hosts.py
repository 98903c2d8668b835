"""Where a cited source may not live: one rule for the articles and the medicine reference.

Issue 16 found sources cited through finance and stock-news sites, document-sharing
mirrors, leaflet and exam-prep copies, a personal blog, machine (API) addresses,
retired or wrong-page addresses, copies of drug labels and trade press. A caregiver
should be sent to the publisher of the fact: the regulator, the label on DailyMed,
the journal, the guideline body.
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

NOT_PRIMARY_HOSTS: dict[str, str] = {
    # copies of the US label or the EU product information: cite DailyMed, FDA or EMA
    "drugs.com": "label copy; cite the label on DailyMed",
    "drugcentral.org": "label copy; its label ids are DailyMed setids",
    "medlibrary.org": "label copy; cite the label on DailyMed",
    "prescriberpoint.com": "label copy; cite the label on DailyMed or FDA",
    "rxreasoner.com": "label copy; cite EMA, EMC or DailyMed",
    "pdr.net": "label and notice copy; cite the FDA or the label",
    "medscape.com": "drug-reference copy or trade news; cite the label or the journal",
    "empr.com": "prescribing-summary copy (MPR); cite the label",
    "renalandurologynews.com": "prescribing-summary copy (MPR); cite the label",
    "emedicinehealth.com": "leaflet copy; cite the label or MedlinePlus",
    "rxlist.com": "label copy; cite the label on DailyMed",
    "ndclist.com": "label copy; cite the label on DailyMed",
    "medthority.com": "copy of labels and press releases; cite the publisher",
    "professionals.optumrx.com": "summary of an FDA notice; cite the FDA page",
    "guidelinecentral.com": "copy of a guideline; cite the guideline body or journal",
    "mymlc.com": "licensed copy of a Mayo Clinic page; cite mayoclinic.org",
    # trade and business press: cite the regulator, the company's own release or the paper
    "biospace.com": "trade press",
    "medpath.com": "trade press and label aggregator",
    "thepharmaletter.com": "trade press",
    "mdedge.com": "trade press",
    "news-medical.net": "trade press",
    "parliamenttoday.com": "news copy of a regulator's release",
    "mmitnetwork.com": "trade press",
    "mobilitymgmt.com": "trade press; cite the FDA announcement",
    "neurologylive.com": "trade press; cite the registry, the company or the paper",
    "citeline.com": "trade press (Pink Sheet); cite the EMA or FDA page",
    "pharmaintelligence.informa.com": "trade press (Pink Sheet); cite the EMA or FDA page",
    "aphadruginfoline.com": "trade summary; cite the label",
    "fiercebiotech.com": "trade press", "fiercepharma.com": "trade press",
    "endpts.com": "trade press",
}
"""Issue 16: label copies and trade press -> what to cite instead."""

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
        domain = ".".join(labels[i:])
        reason = REFUSED_HOSTS.get(domain) or NOT_PRIMARY_HOSTS.get(domain)
        if reason:
            return f"{host}: {reason}"
    for pattern, reason in REFUSED_ADDRESSES:
        if pattern.search(url):
            return reason
    return None


def not_primary(url: str) -> str | None:
    """Why ``url`` is a label copy or trade press (issue 16), or None when it is not."""
    host = (urlsplit(url).hostname or "").lower()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        reason = NOT_PRIMARY_HOSTS.get(".".join(labels[i:]))
        if reason:
            return f"{host}: {reason}"
    return None
