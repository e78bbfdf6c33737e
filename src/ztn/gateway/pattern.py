"""google.api.http path templates: parsed once into a small segment list, matched by a loop.

Grammar (http.proto): ``Template = "/" Segments [":" Verb]``, ``Segment = "*" | "**" | LITERAL |
"{" FieldPath ["=" Segments] "}"``. Matching works on the RAW (still percent-encoded) path so that
``%2F`` inside a variable never acts as a separator (spec gateway.md §1.9):
- a single-segment variable (``{id}``, ``{id=*}``) is fully decoded, strictly as UTF-8;
- a multi-segment variable (``{name=shelves/*}``, ``{path=**}``) is decoded except ``%2F``/``%2f``;
- ``*`` never matches an empty segment; ``**`` (last segment only) matches zero or more;
- a verb route needs the last raw segment to end in ``:verb``; other routes keep ``:`` in values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from urllib.parse import unquote, unquote_to_bytes


class TemplateError(ValueError):
    """A template that does not follow the http.proto grammar (start-up error)."""


class PathError(ValueError):
    """A request path that cannot be decoded (malformed escape, invalid UTF-8): answered with 400."""


class Kind(IntEnum):
    """Segment kinds, ordered by how specific they are (used for route precedence)."""

    LITERAL = 0
    STAR = 1
    END = 2  # the template ends here: more specific than `**`, which may match zero segments
    DOUBLE_STAR = 3


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str = ""  # literal text as written in the template (it may be percent-encoded)
    decoded: str = ""  # literal text decoded, compared with decoded request segments


@dataclass(frozen=True)
class Variable:
    field_path: tuple[str, ...]
    start: int  # index of its first segment
    end: int  # one past its last segment; for a trailing `**` the match's end is the path's end
    multi: bool  # multi-segment capture: `%2F` stays encoded


@dataclass(frozen=True)
class Template:
    text: str
    segments: tuple[Segment, ...]
    variables: tuple[Variable, ...]
    verb: str
    trailing_slash: bool = False
    """The template ends with "/" (an extension of the http.proto grammar for Django-style APIs): only
    request paths ending with "/" match it."""

    @property
    def _verb_suffix(self) -> str:
        return ":" + self.verb

    @property
    def has_double_star(self) -> bool:
        return bool(self.segments) and self.segments[-1].kind is Kind.DOUBLE_STAR

    def specificity(self) -> tuple[tuple[int, ...], int, int]:
        """Sort key, smaller is more specific: literal > `*` > end > `**` per position, then more
        segments, then having a verb (spec §1.7 recommendation)."""
        kinds = tuple(s.kind for s in self.segments) + (Kind.END,)
        return kinds, -len(self.segments), 0 if self.verb else 1

    def match(self, raw_segments: list[str]) -> dict[tuple[str, ...], str] | None:
        """Bind variables for a request path split on raw ``/``. None when the path does not match.
        Raises PathError for undecodable variable values."""
        segs = self.segments
        n = len(segs)
        if self.has_double_star:
            if len(raw_segments) < n - 1:
                return None
        elif len(raw_segments) != n:
            return None
        if self.verb:
            if not raw_segments or not raw_segments[-1].endswith(self._verb_suffix):
                return None
            raw_segments = raw_segments[:-1] + [raw_segments[-1][: -len(self._verb_suffix)]]
        for i, seg in enumerate(segs):
            if seg.kind is Kind.DOUBLE_STAR:
                break
            raw = raw_segments[i]
            if seg.kind is Kind.STAR:
                if not raw:
                    return None
            elif raw != seg.text and not ("%" in raw and _decode(raw) == seg.decoded):
                return None
        bound: dict[tuple[str, ...], str] = {}
        for var in self.variables:
            end = len(raw_segments) if var.end == n and self.has_double_star else var.end
            if var.multi:
                bound[var.field_path] = decode_multi("/".join(raw_segments[var.start : end]))
            else:
                bound[var.field_path] = decode_single(raw_segments[var.start])
        return bound


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# RFC 3986 pchar minus the characters the template grammar uses itself.
_LITERAL = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()+,;=@]|%[0-9A-Fa-f]{2})+\Z")


def parse_template(text: str) -> Template:
    """Parse and check a template; raises TemplateError with the reason."""
    if not text.startswith("/"):
        raise TemplateError(f"template {text!r} must start with '/'")
    body, verb = text[1:], ""
    # The verb is the text after the last ':' outside any {...}.
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        c = body[i]
        if c == "}":
            depth += 1
        elif c == "{":
            depth -= 1
        elif c == ":" and depth == 0:
            body, verb = body[:i], body[i + 1 :]
            if not verb or not _LITERAL.match(verb):
                raise TemplateError(f"template {text!r} has an invalid verb {verb!r}")
            break
    if body == "":
        if verb:
            raise TemplateError(f"template {text!r} has a verb but no segments")
        return Template(text, (), (), "")
    trailing_slash = body.endswith("/") and not verb and not body.endswith("//")
    if trailing_slash:
        body = body[:-1]
    segments: list[Segment] = []
    variables: list[Variable] = []
    for part in _split_top(body, text):
        if part.startswith("{"):
            if not part.endswith("}"):
                raise TemplateError(f"template {text!r}: unterminated variable {part!r}")
            inner = part[1:-1]
            name, eq, sub = inner.partition("=")
            field_path = tuple(name.split("."))
            if not all(_IDENT.match(p) for p in field_path):
                raise TemplateError(f"template {text!r}: invalid field path {name!r}")
            if any(v.field_path == field_path for v in variables):
                raise TemplateError(f"template {text!r}: variable {name!r} bound twice")
            start = len(segments)
            sub_parts = sub.split("/") if eq else ["*"]
            for sp in sub_parts:
                if "{" in sp or "}" in sp:
                    raise TemplateError(f"template {text!r}: a variable may not contain a variable")
                segments.append(_plain_segment(sp, text))
            multi = len(sub_parts) > 1 or sub_parts[0] != "*"
            variables.append(Variable(field_path, start, len(segments), multi))
        else:
            segments.append(_plain_segment(part, text))
    stars = [i for i, s in enumerate(segments) if s.kind is Kind.DOUBLE_STAR]
    if len(stars) > 1:
        raise TemplateError(f"template {text!r} has more than one '**'")
    if stars and stars[0] != len(segments) - 1:
        raise TemplateError(f"template {text!r}: '**' must be the last segment")
    if trailing_slash and stars:
        raise TemplateError(f"template {text!r}: '**' cannot be followed by '/'")
    return Template(text, tuple(segments), tuple(variables), verb, trailing_slash)


def _split_top(body: str, text: str) -> list[str]:
    """Split on '/' outside braces."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(body):
        if c == "{":
            depth += 1
            if depth > 1:
                raise TemplateError(f"template {text!r}: nested '{{'")
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise TemplateError(f"template {text!r}: unbalanced '}}'")
        elif c == "/" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    if depth:
        raise TemplateError(f"template {text!r}: unbalanced '{{'")
    parts.append(body[start:])
    return parts


def _plain_segment(part: str, text: str) -> Segment:
    if part == "*":
        return Segment(Kind.STAR)
    if part == "**":
        return Segment(Kind.DOUBLE_STAR)
    if not part:
        raise TemplateError(f"template {text!r} has an empty segment (trailing or double '/')")
    if not _LITERAL.match(part):
        raise TemplateError(f"template {text!r}: segment {part!r} is not a wildcard, literal or variable")
    return Segment(Kind.LITERAL, part, unquote(part))


def overlaps(a: Template, b: Template) -> bool:
    """Whether some request path matches both templates (start-up diagnostics only)."""
    if a.verb != b.verb:
        if a.verb and b.verb:
            return False
        plain = b if a.verb else a
        # A verb route's last segment can only be matched by a wildcard, which also accepts "x:verb".
        if not plain.segments or plain.segments[-1].kind is Kind.LITERAL:
            return False
    sa, sb = a.segments, b.segments
    for i in range(max(len(sa), len(sb))):
        x = sa[i] if i < len(sa) else None
        y = sb[i] if i < len(sb) else None
        if (x and x.kind is Kind.DOUBLE_STAR) or (y and y.kind is Kind.DOUBLE_STAR):
            return True
        if x is None or y is None:
            return False
        if x.kind is Kind.LITERAL and y.kind is Kind.LITERAL and x.decoded != y.decoded:
            return False
    return True


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SLASH = re.compile(r"(%2[Ff])")


def check_escapes(raw_path: str) -> None:
    """Raise PathError for a malformed ``%`` escape anywhere in the raw path."""
    if "%" in raw_path:
        bad = _BAD_ESCAPE.search(raw_path)
        if bad:
            raise PathError(f'malformed path escape "{raw_path[bad.start() : bad.start() + 3]}"')


def _decode(raw: str) -> str:
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise PathError(f"path segment {raw!r} is not valid UTF-8 once decoded") from None


def decode_single(raw: str) -> str:
    return _decode(raw) if "%" in raw else raw


def decode_multi(raw: str) -> str:
    """Decode everything but ``%2F``/``%2f``, which stays as sent."""
    if "%" not in raw:
        return raw
    parts = _SLASH.split(raw)
    return "".join(p if i % 2 else _decode(p) for i, p in enumerate(parts))
