"""JSON conventions, declared per service rather than hard-coded in the codec.

ZITADEL's gateway uses Go protojson defaults (camelCase, zero values omitted, enums by name, 64-bit
integers as strings); the Healthchecks API needs snake_case keys, explicit nulls and plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


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


CANONICAL = JsonStyle()
"""proto3 JSON as Go protojson / connect-go print it; also ZITADEL's REST style."""
