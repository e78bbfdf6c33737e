"""JSON conventions, declared per service rather than hard-coded in the codec.

ZITADEL's gateway uses Go protojson defaults (camelCase, zero values omitted, enums by name, 64-bit
integers as strings); the Healthchecks API needs snake_case keys, explicit nulls and plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

TIMESTAMP_FORMATS = ("rfc3339", "isoformat")


@dataclass(frozen=True)
class JsonStyle:
    proto_names: bool = False
    """Output keys are proto field names (snake_case) instead of lowerCamelCase json names."""
    emit_unpopulated: bool = False
    """Print zero scalars, empty lists/maps (grpc-gateway's EmitUnpopulated)."""
    null_unset_messages: bool = False
    """With emit_unpopulated: unset singular message fields (and unset proto3 optionals) print as null."""
    enums_as_ints: bool = False
    int64_as_numbers: bool = False
    """Print 64-bit integers as JSON numbers instead of strings."""
    ignore_unknown_fields: bool = True
    """Unknown input keys (and unknown enum names) are ignored, as grpc-gateway's DiscardUnknown."""
    omit_unset_optionals: bool = False
    """With emit_unpopulated: unset proto3 ``optional`` scalars stay omitted (messages still print null)."""
    declaration_order: bool = False
    """Keys in field declaration order, unpopulated ones included in place (Python APIs' key order)."""
    timestamp_format: str = "rfc3339"
    """"rfc3339" (``...Z``, protojson) or "isoformat": Python's ``datetime.isoformat()`` of the UTC instant,
    ``2020-03-24T14:02:03+00:00``, microseconds only when non-zero."""

    def __post_init__(self) -> None:
        if self.timestamp_format not in TIMESTAMP_FORMATS:
            raise ValueError(f"timestamp_format {self.timestamp_format!r} is not one of {TIMESTAMP_FORMATS}")


CANONICAL = JsonStyle()
"""proto3 JSON as Go protojson / connect-go print it; also ZITADEL's REST style."""

SNAKE_NULLS_ISO = JsonStyle(
    proto_names=True,
    emit_unpopulated=True,
    null_unset_messages=True,
    omit_unset_optionals=True,
    int64_as_numbers=True,
    declaration_order=True,
    timestamp_format="isoformat",
)
"""The JSON of Python web APIs (Django's JsonResponse): snake_case keys in declaration order, zero values
printed, unset messages as null, optional scalars present only when set, plain numbers, ``+00:00``."""
