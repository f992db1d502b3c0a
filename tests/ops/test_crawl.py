"""Every link on every page a demo user can reach answers without a 4xx or 5xx.

Seeds the demo (as `make run` does), signs in as each demo login and follows every
`href` / `hx-get` / `src` inside the site, breadth first. Links that differ only in
their ids are sampled (a few per shape), so the crawl stays bounded."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_LOGINS
from accounts.models import User

PER_SHAPE = 3
SKIP_PREFIXES = ("/static/", "/django-admin/", "/accounts/logout/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("href", "hx-get", "src", "data-url"):
                self.links.append(value)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client: Client, start: str = "/") -> tuple[dict[str, int], dict[str, str]]:
    """Return {url: status} for every URL visited and {url: page it was linked from}."""
    seen: dict[str, int] = {}
    source: dict[str, str] = {start: "(start)"}
    shapes: Counter = Counter()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        response = client.get(url)
        seen[url] = response.status_code
        found: list[str] = []
        if response.status_code in (301, 302, 303, 307, 308):
            found.append(response["Location"])
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(response.content.decode("utf-8", errors="replace"))
            found.extend(parser.links)
        for link in found:
            target, _fragment = urldefrag(urljoin(url, link))
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not target or target in seen or target in source or target.startswith(SKIP_PREFIXES):
                continue
            shapes[_shape(parts.path)] += 1
            if shapes[_shape(parts.path)] > PER_SHAPE:
                continue
            source[target] = url
            queue.append(target)
    return seen, source


@pytest.mark.slow
@pytest.mark.django_db
def test_every_link_for_every_demo_role_answers_without_an_error():
    call_command("seed_demo", "--students", "24", stdout=StringIO())
    broken, visited = {}, {}
    for username in [None] + [login[0] for login in DEMO_LOGINS]:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        seen, source = crawl(client, "/" if username else "/accounts/login/")
        visited[username] = len(seen)
        broken.update({(username, url): (status, source[url]) for url, status in seen.items() if status >= 400})
    assert not broken, f"broken links ((user, url): (status, linked from)): {broken}"
    assert all(count >= 5 for user, count in visited.items() if user), visited
