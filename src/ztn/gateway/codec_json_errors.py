"""The one error type the JSON codec raises; its message is safe to show a client."""

from __future__ import annotations


class JsonCodecError(ValueError):
    """Bad JSON input (or an unprintable message); str(err) names the field and the problem."""
