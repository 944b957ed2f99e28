"""Read a briefing page back with the standard library's HTML parser: its elements, attributes,
style sheets and visible text, as a browser would see them before running anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Parsed:
    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)

    def elements(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag == name]

    def urls(self) -> list[str]:
        """Every URL the page names: src, href, srcset, poster, data, action attributes and CSS url()."""
        out = [v for _, attrs in self.tags for k, v in attrs.items()
               if k in {"src", "href", "srcset", "poster", "data", "action", "formaction", "background"}]
        for css in self.styles + [a.get("style", "") for _, a in self.tags]:
            out += [m.strip("'\" ") for m in re.findall(r"url\(([^)]*)\)", css)]
            out += re.findall(r"@import\s+['\"]([^'\"]+)", css)
        return out

    def visible_text(self) -> str:
        return "".join(self.text)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("style", "script", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.parsed.styles.append(data)
        elif not self._in:
            self.parsed.text.append(data)


def parse(html: str) -> Parsed:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.parsed
