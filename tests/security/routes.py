"""Every URL pattern of the project, found by walking the resolver (admin and API included)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver, reverse

_CONVERTER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    key: str  # the route's name (with its namespace), or its pattern when it has no name
    pattern: str  # the full pattern from the site root
    named: bool
    kwargs: tuple[str, ...]

    def url(self, values: dict[str, object]) -> str:
        """The address with each URL kwarg taken from ``values``."""
        if self.named:
            return reverse(self.key, kwargs={k: values[k] for k in self.kwargs})
        if self.pattern.endswith("(?P<url>.*)$"):  # the admin's catch-all
            return "/" + self.pattern.removesuffix("(?P<url>.*)$") + "no-such-page/"
        return "/" + _CONVERTER.sub(lambda m: str(values[m["name"]]), self.pattern)


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> list[Route]:
    found: list[Route] = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            found += _walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            kwargs = tuple(entry.pattern.regex.groupindex)
            key = f"{namespace}{entry.name}" if entry.name else pattern
            found.append(Route(key, pattern, entry.name is not None, kwargs))
    return found


@cache
def all_routes() -> tuple[Route, ...]:
    return tuple(_walk(get_resolver(), "", ""))
