"""Learn articles: parse an article file, check it, and turn its Markdown into plain text.

An article file (``resources/articles/<id>.md``, see ``docs/article-format.md``) has a TOML
header between two ``+++`` lines, read with the standard library's ``tomllib``, and a
Markdown body. ``parse_article`` reads one file's text into an ``Article`` and reports every
structural problem at once (``ArticleError``, with the file and line of each problem);
``validate_article`` checks what needs the rest of the library: links, categories, sources
and the closing care-team section. ``load_library`` reads a whole folder for the app, which
skips (and reports) a broken file rather than failing.

Pure Python: no Qt, no database.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from caregiver_app.domain.errors import CaregiverAppError

FENCE = "+++"

CATEGORIES: tuple[str, ...] = (
    "About ALS",
    "ALS medicines",
    "Symptoms and their medicines",
    "Giving medicines safely",
    "Care team and caregiving",
)
"""The article categories, in display order."""

REQUIRED_KEYS: tuple[str, ...] = (
    "id", "title", "summary", "category", "tags", "medicines", "related", "reviewed", "sources",
)
OPTIONAL_KEYS: tuple[str, ...] = ()

CARE_TEAM_HEADING = "Your care team decides"
"""The level-2 heading of the section every article ends with."""

MIN_SOURCES = 2
MAX_GRADE = 8.0
"""Highest Flesch-Kincaid grade an article body or a medicine reference entry may have
(docs/article-format.md; issue 16 asks for grade 8 or below)."""

READING_ORDER: tuple[str, ...] = (
    "what-is-als",
    "how-als-medicines-work",
    "riluzole",
    "edaravone",
    "tofersen",
    "tried-and-withdrawn-medicines",
    "cramps-and-stiffness",
    "drooling-and-secretions",
    "pseudobulbar-affect",
    "pain-sleep-and-fatigue",
    "mood-and-mental-health",
    "swallowing-and-medicines",
    "managing-many-medicines",
    "als-care-team",
    "caregiving-and-self-care",
    "what-causes-als",
    "als-key-facts",
)
"""The order articles are listed in inside their category; others follow by title."""

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_RE = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
WEB_SCHEMES = ("http", "https")


class ArticleError(CaregiverAppError):
    """An article file that cannot be used.

    ``problems`` lists each problem as ``"line N: what is wrong"`` (or without a line when
    the problem is not on one line); the message names the file first.
    """

    def __init__(self, source: str, problems: Sequence[str]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Link:
    """A Markdown link in an article body."""

    kind: str
    """``"article"``, ``"medicine"``, ``"web"`` or ``"other"`` (anything else: a mistake)."""
    target: str
    text: str
    line: int
    """Line in the article file (1-based)."""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    summary: str
    category: str
    tags: tuple[str, ...]
    medicines: tuple[str, ...]
    related: tuple[str, ...]
    reviewed: date
    sources: tuple[Source, ...]
    body: str
    source: str = field(default="", compare=False)
    """Where the article came from (a file name), for messages."""
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line in the file of each header key (``"sources[1]"`` for the second source)."""
    body_line: int = field(default=1, compare=False, repr=False)
    """Line in the file where the body starts."""

    def links(self) -> tuple[Link, ...]:
        return tuple(_find_links(self.body, self.body_line))

    def plain_text(self) -> str:
        """The body as plain text: what search indexes and readability measures."""
        return strip_markdown(self.body)


# ---- Parsing


def parse_article(text: str, *, source: str = "<article>") -> Article:
    """Read one article file's text. Raises ``ArticleError`` listing every problem found."""
    header, body, body_line = _split_header(text, source)
    try:
        meta = tomllib.loads(header)
    except tomllib.TOMLDecodeError as exc:
        raise ArticleError(source, [_shift_toml_error(str(exc), offset=1)]) from exc
    lines = _key_lines(header, first_line=2)
    problems: list[str] = []

    def where(key: str) -> str:
        line = lines.get(key)
        return f"line {line}: " if line else ""

    for key in REQUIRED_KEYS:
        if key not in meta:
            problems.append(f"the header has no '{key}' key")
    for key in meta:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            problems.append(f"{where(key)}unknown header key '{key}'")

    def text_value(key: str) -> str:
        value = meta.get(key, "")
        if not isinstance(value, str):
            problems.append(f"{where(key)}'{key}' must be text in quotes")
            return ""
        if key in meta and not value.strip():
            problems.append(f"{where(key)}'{key}' is empty")
        return value.strip()

    def list_value(key: str) -> tuple[str, ...]:
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where(key)}'{key}' must be a list of texts, like [\"a\", \"b\"]")
            return ()
        return tuple(v.strip() for v in value)

    article_id = text_value("id")
    if article_id and not ID_RE.match(article_id):
        problems.append(f"{where('id')}id '{article_id}' must be lowercase-with-dashes")
    title = text_value("title")
    summary = text_value("summary")
    category = text_value("category")
    tags = list_value("tags")
    medicines = list_value("medicines")
    related = list_value("related")

    reviewed = meta.get("reviewed")
    if "reviewed" in meta and (not isinstance(reviewed, date) or isinstance(reviewed, datetime)):
        problems.append(f"{where('reviewed')}'reviewed' must be a date like 2026-11-25 "
                        "(no quotes, no time)")
        reviewed = None

    sources: list[Source] = []
    raw_sources = meta.get("sources", [])
    if not isinstance(raw_sources, list):
        problems.append(f"{where('sources')}'sources' must be [[sources]] tables")
        raw_sources = []
    for i, entry in enumerate(raw_sources):
        at = where(f"sources[{i}]")
        if not isinstance(entry, dict):
            problems.append(f"{at}source {i + 1} must be a [[sources]] table")
            continue
        s_title, s_url = entry.get("title"), entry.get("url")
        if not isinstance(s_title, str) or not s_title.strip():
            problems.append(f"{at}source {i + 1} has no title")
        if not isinstance(s_url, str) or not s_url.strip():
            problems.append(f"{at}source {i + 1} has no url")
        extra = sorted(set(entry) - {"title", "url"})
        if extra:
            problems.append(f"{at}source {i + 1} has unknown keys {extra}")
        if isinstance(s_title, str) and isinstance(s_url, str):
            sources.append(Source(s_title.strip(), s_url.strip()))

    if not body.strip():
        problems.append(f"line {body_line}: the article has no body text")
    if problems:
        raise ArticleError(source, problems)
    return Article(
        id=article_id, title=title, summary=summary, category=category, tags=tags,
        medicines=medicines, related=related, reviewed=reviewed,  # type: ignore[arg-type]
        sources=tuple(sources), body=body,
        source=source, key_lines=lines, body_line=body_line,
    )


def load_article(path: Path) -> Article:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(path.name, [f"the file is not UTF-8 text ({exc.reason})"]) from exc
    return parse_article(text, source=path.name)


# ---- Checks that need the whole library


def validate_article(
    article: Article,
    *,
    file_stem: str | None = None,
    article_ids: Collection[str] | None = None,
    medicine_ids: Collection[str] | None = None,
) -> list[str]:
    """Problems with an article that parsed, as ``"line N: ..."`` texts (empty when fine).

    ``file_stem`` is the file name without ``.md``; ``article_ids`` and ``medicine_ids``
    are every article id and medicine reference id that exist. Checks that need a value
    that is ``None`` are left out.
    """
    lines = article.key_lines

    def where(key: str) -> str:
        line = lines.get(key)
        return f"line {line}: " if line else ""

    problems: list[str] = []
    if file_stem is not None and article.id != file_stem:
        problems.append(f"{where('id')}id '{article.id}' differs from the file name "
                        f"'{file_stem}.md'")
    if article.category not in CATEGORIES:
        problems.append(f"{where('category')}unknown category '{article.category}'; "
                        f"choose one of: {', '.join(CATEGORIES)}")
    if len(article.sources) < MIN_SOURCES:
        problems.append(f"{where('sources') or where('sources[0]')}an article needs at least "
                        f"{MIN_SOURCES} sources, this one has {len(article.sources)}")
    for i, source in enumerate(article.sources):
        if not _is_web_address(source.url):
            problems.append(f"{where(f'sources[{i}]')}source {i + 1} url '{source.url}' "
                            "must start with http:// or https://")
    if medicine_ids is not None:
        for ref in article.medicines:
            if ref not in medicine_ids:
                problems.append(f"{where('medicines')}medicines names '{ref}', which is not "
                                "in the medicine reference")
    if article_ids is not None:
        for other in article.related:
            if other not in article_ids:
                problems.append(f"{where('related')}related names '{other}', which is not "
                                "an article")
            elif other == article.id:
                problems.append(f"{where('related')}an article cannot be related to itself")
    for link in article.links():
        if link.kind == "article" and article_ids is not None and link.target not in article_ids:
            problems.append(f"line {link.line}: link to article '{link.target}', which does "
                            "not exist")
        elif (link.kind == "medicine" and medicine_ids is not None
              and link.target not in medicine_ids):
            problems.append(f"line {link.line}: link to medicine '{link.target}', which is "
                            "not in the medicine reference")
        elif link.kind == "other":
            problems.append(f"line {link.line}: link '{link.target}' must be article:ID, "
                            "medicine:ID or an http(s) address")
    problems.extend(_check_care_team_ending(article))
    return problems


def care_team_section(body: str) -> str:
    """The text of the closing ``## Your care team decides`` section ("" when missing)."""
    sections = re.split(r"(?m)^##\s+", body)
    if len(sections) < 2:
        return ""
    last = sections[-1]
    heading, _, text = last.partition("\n")
    if heading.strip().rstrip(".:").lower() != CARE_TEAM_HEADING.lower():
        return ""
    return text.strip()


# ---- Plain text


_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_RULE_RE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


def strip_markdown(text: str, *, close_sentences: bool = False) -> str:
    """Markdown to plain text: one line per heading, paragraph, list item or table row.

    Link and image syntax keep only their text; emphasis, code marks, quote marks, list
    markers, rules and HTML tags go. With ``close_sentences``, every heading, list item and
    table row that does not end a sentence gets a full stop (a trailing colon becomes
    one), because a reader takes each as a sentence of its own: readability formulas would
    otherwise glue a heading to the sentence after it.
    """
    blocks: list[tuple[str, str]] = []  # (kind, text)
    current: list[str] = []
    kind = "p"
    in_code = False

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append((kind, " ".join(current)))
        current = []

    for raw in text.splitlines():
        if _FENCE_RE.match(raw):
            flush()
            in_code = not in_code
            continue
        if in_code:
            blocks.append(("code", raw.strip()))
            continue
        line = raw.strip()
        while line.startswith(">"):
            line = line[1:].strip()
        if not line:
            flush()
            kind = "p"
            continue
        if _RULE_RE.match(line) or _TABLE_RULE_RE.match(line):
            flush()
            kind = "p"
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            flush()
            blocks.append(("h", heading.group(2)))
            kind = "p"
            continue
        item = _ITEM_RE.match(line)
        if item:
            flush()
            kind = "li"
            current = [item.group(1)]
            continue
        if line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            blocks.append(("tr", " ".join(c for c in cells if c)))
            kind = "p"
            continue
        current.append(line)
    flush()

    out = []
    for block_kind, block in blocks:
        plain = _strip_inline(block)
        if not plain:
            continue
        if close_sentences and block_kind in ("h", "li", "tr"):
            plain = _close_sentence(plain)
        out.append(plain)
    return "\n".join(out)


_ESCAPED_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_PRIVATE = 0xE000  # escaped characters hide in the private-use area while marks are removed


def _strip_inline(text: str) -> str:
    text = _ESCAPED_RE.sub(lambda m: chr(_PRIVATE + ord(m.group(1))), text)
    text = LINK_RE.sub(lambda m: m.group(2), text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)
    text = re.sub(r"`+([^`]*)`+", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])", r"\1", text)
    text = re.sub(r"~~(.+?)~~", r"\1", text)
    text = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - _PRIVATE), text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()


def _close_sentence(text: str) -> str:
    if text[-1] in ".!?":
        return text
    if text[-1] in ":;,":
        return text[:-1] + "."
    return text + "."


# ---- The library


@dataclass(frozen=True)
class Library:
    """Every article that loaded, in display order, and what did not load."""

    articles: tuple[Article, ...] = ()
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    """File name to the SHA-256 of its bytes, for every ``.md`` file (loaded or not)."""
    problems: tuple[str, ...] = ()
    """One message per file that was left out."""

    def get(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)

    def ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.articles)

    def in_category(self, category: str) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.category == category)

    def related(self, article: Article) -> list[tuple[str, str]]:
        """``(id, title)`` of the articles ``article`` names as related, in its order;
        names of articles the library does not have are left out."""
        found = (self.get(i) for i in article.related)
        return [(a.id, a.title) for a in found if a is not None]

    def categories(self) -> tuple[str, ...]:
        """Categories that have articles: the known ones in order, then any others."""
        present = {a.category for a in self.articles}
        known = [c for c in CATEGORIES if c in present]
        return tuple(known + sorted(present - set(known)))

    def for_medicine(self, reference_id: str,
                     reference_articles: Mapping[str, str] | None = None) -> Article | None:
        """The article to open for a medicine.

        ``reference_articles`` maps a medicine reference id to the article its reference
        entry names; that article comes first. Otherwise the most specific article naming
        the medicine (the one naming fewest medicines), in display order.
        """
        named = (reference_articles or {}).get(reference_id, "")
        if named and self.get(named) is not None:
            return self.get(named)
        candidates = [a for a in self.articles if reference_id in a.medicines]
        if not candidates:
            return self.get(reference_id)
        return min(candidates, key=lambda a: len(a.medicines))


def sort_articles(articles: Iterable[Article]) -> tuple[Article, ...]:
    def key(a: Article) -> tuple[int, str, int, str]:
        category = CATEGORIES.index(a.category) if a.category in CATEGORIES else len(CATEGORIES)
        order = READING_ORDER.index(a.id) if a.id in READING_ORDER else len(READING_ORDER)
        return (category, a.category, order, a.title.lower())

    return tuple(sorted(articles, key=key))


def load_library(directory: Path) -> Library:
    """Read every ``*.md`` article in ``directory``.

    A file that does not parse, or whose id differs from its file name, is left out and
    reported in ``problems``; the rest still load (the content tests keep the shipped
    files clean; this keeps a damaged install usable).
    """
    if not directory.is_dir():
        return Library()
    articles: list[Article] = []
    fingerprints: dict[str, str] = {}
    problems: list[str] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.md")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        fingerprints[path.name] = hashlib.sha256(data).hexdigest()
        try:
            article = parse_article(data.decode("utf-8"), source=path.name)
        except UnicodeDecodeError as exc:
            problems.append(f"{path.name}: the file is not UTF-8 text ({exc.reason})")
            continue
        except ArticleError as exc:
            problems.append(str(exc))
            continue
        if article.id != path.stem or article.id in seen:
            problems.append(f"{path.name}: id '{article.id}' differs from the file name")
            continue
        seen.add(article.id)
        articles.append(article)
    return Library(sort_articles(articles), fingerprints, tuple(problems))


# ---- Private


def _split_header(text: str, source: str) -> tuple[str, str, int]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ArticleError(source, [f"line 1: the file must start with a '{FENCE}' line, then "
                                    f"the header, then another '{FENCE}' line"])
    for i in range(1, len(lines)):
        if lines[i].strip() == FENCE:
            header = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1:])
            return header, body, i + 2
    raise ArticleError(source, [f"line 1: the header is never closed by a '{FENCE}' line"])


def _key_lines(header: str, *, first_line: int) -> dict[str, int]:
    """Where each top-level key and each ``[[sources]]`` table starts (file line numbers)."""
    found: dict[str, int] = {}
    in_table = False
    source_index = -1
    for offset, raw in enumerate(header.split("\n")):
        line = raw.strip()
        number = first_line + offset
        if line.startswith("[[sources]]"):
            in_table = True
            source_index += 1
            found.setdefault("sources", number)
            found[f"sources[{source_index}]"] = number
            continue
        if line.startswith("["):
            in_table = True
            continue
        match = re.match(r"^([A-Za-z0-9_-]+)\s*=", line)
        if match and not in_table:
            found.setdefault(match.group(1), number)
    return found


def _shift_toml_error(message: str, *, offset: int) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if not match:
        return f"the header is not valid TOML: {message}"
    line = int(match.group(1)) + offset
    what = message[:match.start()].strip()
    return f"line {line}: the header is not valid TOML: {what} (column {match.group(2)})"


def _is_web_address(url: str) -> bool:
    scheme, sep, rest = url.partition("://")
    return bool(sep) and scheme.lower() in WEB_SCHEMES and bool(rest.strip())


def _find_links(body: str, first_line: int) -> Iterable[Link]:
    for offset, line in enumerate(body.split("\n")):
        for match in LINK_RE.finditer(line):
            target = match.group(3).strip()
            text = match.group(2)
            scheme, colon, rest = target.partition(":")
            if colon and scheme == "article":
                yield Link("article", rest.split("#")[0], text, first_line + offset)
            elif colon and scheme == "medicine":
                yield Link("medicine", rest, text, first_line + offset)
            elif _is_web_address(target):
                yield Link("web", target, text, first_line + offset)
            else:
                yield Link("other", target, text, first_line + offset)


def _check_care_team_ending(article: Article) -> list[str]:
    headings = [(i, m.group(1).strip()) for i, line in enumerate(article.body.split("\n"))
                if (m := re.match(r"^##\s+(.*)$", line))]
    if not headings or headings[-1][1].rstrip(".:").lower() != CARE_TEAM_HEADING.lower():
        return [f"the body must end with a section '## {CARE_TEAM_HEADING}' saying that the "
                "care team decides treatment"]
    index = headings[-1][0]
    if not care_team_section(article.body):
        return [f"line {article.body_line + index}: the '## {CARE_TEAM_HEADING}' section is "
                "empty"]
    if "care team" not in care_team_section(article.body).lower():
        return [f"line {article.body_line + index}: the '## {CARE_TEAM_HEADING}' section "
                "must say that the care team decides treatment"]
    return []
