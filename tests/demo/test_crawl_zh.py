"""Every page each demo role can reach, read in Chinese, carries no English sentence of ours.

For each demo login (``demo.logins.LOGINS``) with Chinese as its preferred language, the test
follows every same-site GET link from the dashboard, one page per URL pattern (and set of
query parameters), and compares what a person sees (text nodes, and the ``title``,
``placeholder``, ``aria-label``, ``alt`` and button values) with the English catalogue: no
text may equal an English msgid whose Chinese differs, nor contain one of several words as a
sentence, nor show Python's ``True``/``False``/``None`` or a list's brackets. Proper names and
codes are allowed by being absent from the catalogue; the few catalogue words that are also
names or codes are listed in ``ALLOWED``, and the names of records in the world (people,
logins, organisations, regions, leadership seats) are taken out of a text before it is read.

Django's admin (``/admin/``, the superuser's) is left out: its English is Django's own and
its packages' (``alt="Search"`` and ``alt="True"`` hard-coded in Django's templates,
permission names Django stores in English, django-tasks' untranslated states), which no
catalogue of ours can change; our words in it are the model names the site's pages show.

It uses the Django test client on the small demo world rather than a browser: a browser
needs the real server and its own database and would take minutes per role for the same
HTML, while the client renders the same templates in-process in seconds. What the browser
adds (scripts, CSP) is covered by the browser tests in ``tests/e2e``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from sameboat.accounts.models import User
from sameboat.demo.logins import LOGINS
from sameboat.orgs.models import Employee, LeadershipGroup, LeadershipMember, Organization, Region

pytestmark = pytest.mark.usefixtures("small_world")

PO = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
LANGUAGE = "zh-hans"
# Per role: enough to reach every page kind the demo world links to, bounded for speed.
MAX_PAGES = 120
SKIP = re.compile(r"/(logout|static|media|api|admin)/|download|export|/template|\.(csv|xlsx|pdf|json)$", re.I)
# Catalogue words that are also names or codes people see as such.
# "English" is the language switcher's name for English, written in English on purpose.
ALLOWED = frozenset({"HQ", "ID", "API", "OK", "CSV", "Excel", "English"})
PYTHON_LEAKS = re.compile(r"^(True|False|None)$|\[\s*'|'\s*\]|\{\s*'")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


# --- The catalogue ------------------------------------------------------------------------------


def _po_entries(path: Path) -> Iterator[tuple[str, str, str]]:
    """(context, msgid, msgstr) of each translated singular entry of a .po file."""
    entry: dict[str, str] = {}
    key = ""

    def done() -> Iterator[tuple[str, str, str]]:
        if entry.get("msgid") and "msgid_plural" not in entry:
            yield entry.get("msgctxt", ""), entry["msgid"], entry.get("msgstr", "")

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#") or not line:
            continue
        if line.startswith('"'):
            entry[key] = entry.get(key, "") + _unquote(line)
            continue
        word, _, rest = line.partition(" ")
        if word in ("msgctxt", "msgid") and ("msgstr" in entry or "msgstr[0]" in entry):
            yield from done()
            entry = {}
        key = word
        entry[key] = _unquote(rest)
    yield from done()


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


@dataclass(frozen=True)
class Catalogue:
    whole: frozenset[str]  # msgids (without placeholders) that must not be a whole text
    sentences: tuple[tuple[str, re.Pattern[str]], ...]  # msgids that must not appear inside a text


def _catalogue() -> Catalogue:
    whole: set[str] = set()
    sentences: list[tuple[str, re.Pattern[str]]] = []
    for _ctx, msgid, msgstr in _po_entries(PO):
        if not msgstr or msgstr == msgid or msgid in ALLOWED:
            continue
        text = " ".join(msgid.split())
        literal = PLACEHOLDER.sub(" ", text)
        words = re.findall(r"[A-Za-z]{2,}", literal)
        if not words:
            continue
        if not PLACEHOLDER.search(text):
            whole.add(text)
        # A sentence: two words, or a word with a value in it ("temperature 37.6 °C"), but
        # not a bare "of" between two values.
        if len(words) >= 2 or (PLACEHOLDER.search(text) and len("".join(words)) >= 6):
            parts = [re.escape(p) for p in PLACEHOLDER.split(text)]
            pattern = r".+?".join(parts).replace(r"\ ", r"\s+")
            sentences.append((msgid, re.compile(rf"(?<![A-Za-z]){pattern}(?![A-Za-z])")))
    return Catalogue(frozenset(whole), tuple(sentences))


# --- Reading a page -----------------------------------------------------------------------------


class _Page(HTMLParser):
    """The texts a person sees on a page, and its links."""

    SHOWN_ATTRS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in self.SHOWN_ATTRS:
            if values.get(name):
                self.texts.append(values[name] or "")
        if tag == "input" and (values.get("type") or "") in ("submit", "button", "reset") and values.get("value"):
            self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data)


def _proper_names() -> list[str]:
    """Names of people, logins, organisations, regions and leadership groups in the world,
    longest first: they are written as their owners wrote them, in either language."""
    names: set[str] = set()
    for username, display, first, last in User.objects.values_list(
        "username", "display_name", "first_name", "last_name"
    ):
        names.update((username, display, f"{first} {last}".strip(), f"{last}{first}"))
    names.update(n for pair in Organization.objects.values_list("name_zh", "name_en") for n in pair)
    names.update(n for pair in Region.objects.values_list("name_zh", "name_en") for n in pair)
    names.update(n for pair in Employee.objects.values_list("name", "name_en") for n in pair)
    names.update(LeadershipGroup.objects.values_list("name", flat=True))
    # What people typed (a leadership seat's title and duty) is theirs, in the words they chose.
    names.update(n for pair in LeadershipMember.objects.values_list("title", "duty") for n in pair)
    return sorted((n for n in names if n and len(n) > 1), key=len, reverse=True)


def _english(texts: list[str], catalogue: Catalogue, names: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    found = []
    for raw in texts:
        text = " ".join(raw.split())
        for name in names:
            if name in text:
                text = text.replace(name, " ").strip()
        if not text:
            continue
        if PYTHON_LEAKS.search(text):
            found.append(f"{text!r} (Python value)")
        elif text in catalogue.whole:
            found.append(repr(text))
        else:
            for msgid, pattern in catalogue.sentences:
                if pattern.search(text):
                    found.append(f"{text!r} (contains {msgid!r})")
                    break
    return found


# --- The crawl ----------------------------------------------------------------------------------


def _pattern_of(url: str) -> tuple[str, ...] | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"})
    return (match.route, *keys)


def _crawl(client: Client, catalogue: Catalogue, names: list[str]) -> tuple[dict[str, list[str]], int]:
    """English found on each page the client can reach, and how many pages were read."""
    queue: deque[str] = deque(["/"])
    seen_patterns: set[tuple[str, ...]] = set()
    problems: dict[str, list[str]] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        pattern = _pattern_of(url)
        if pattern is None or pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        response = client.get(url)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            # A landing elsewhere (a supplies officer's home is the stock page): go there.
            queue.appendleft(response["Location"])
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        page = _Page()
        page.feed(response.content.decode())
        english = _english(page.texts, catalogue, names)
        if english:
            problems[url] = english
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return problems, pages


def test_the_checker_finds_english_and_python_values(db):
    catalogue = _catalogue()
    assert _english(["仪表板", "共 3 条"], catalogue) == []
    assert _english(["Dashboard"], catalogue) == ["'Dashboard'"]
    assert _english(["体温 37.6 °C · temperature 37.6 °C"], catalogue)
    assert _english(["Roster import失败"], catalogue)
    assert _english(["True"], catalogue) and _english(["['a', 'b']"], catalogue)


@pytest.mark.parametrize("spec", LOGINS, ids=[spec.username for spec in LOGINS])
def test_every_page_a_role_reaches_in_chinese_has_no_english_of_ours(db, spec):
    user = User.objects.get(username=spec.username)
    user.language = LANGUAGE
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = LANGUAGE
    problems, pages = _crawl(client, _catalogue(), _proper_names())
    assert pages >= 3, "the crawl reached too few pages to mean anything"
    report = "\n".join(f"{url}:\n  " + "\n  ".join(sorted(set(found))) for url, found in sorted(problems.items()))
    assert not problems, f"English on Chinese pages for {spec.username}:\n{report}"
