"""The gateway's protobuf <-> JSON codec: json_format's output, several times faster.

Per message class and JsonStyle a plan is compiled once (lazily): encoding runs Python source generated
for the class that reads each field directly (codec_json_encode.py); decoding runs generated source too
(one probe per field, code specialised to the field's type, messages filled in place) and, when that
meets anything unexpected, decodes again by per-key plans that name the exact problem
(codec_json_decode.py).
Every failure is a JsonCodecError whose message is safe to show a client.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import orjson
from google.protobuf.message import Message

from ztn.gateway.codec_json_decode import Decoder, Fail, FastDecoder
from ztn.gateway.codec_json_encode import Encoder
from ztn.gateway.codec_json_errors import JsonCodecError
from ztn.gateway.json_style import JsonStyle

__all__ = ["JsonCodec", "JsonCodecError", "codec_for", "share"]

M = TypeVar("M", bound=Message)

_SHARED_SIZE = 32
_shared: dict[int, tuple[Message, dict[JsonStyle, bytes]]] = {}
"""id -> (message, its encodings per style); holding the message keeps its id from being reused."""


def share(msg: M) -> M:
    """Declare ``msg`` final: it will never change again (a servicer hands the same memoised response to
    many callers). ``JsonCodec.encode`` then encodes it once per style. Only the last few are kept."""
    if id(msg) not in _shared:
        if len(_shared) >= _SHARED_SIZE:
            del _shared[next(iter(_shared))]
        _shared[id(msg)] = (msg, {})
    return msg


class JsonCodec:
    def __init__(self, style: JsonStyle) -> None:
        self.style = style
        self._encoder = Encoder(style)
        self._decoder = Decoder(style)
        self._fast = FastDecoder(self._decoder)
        self._fast_decoders: dict[type[Message], Callable[[Any, Message, int], None]] = {}
        self._encoders: dict[type[Message], Callable[[Message], Any]] = {}

    def _encoder_for(self, cls: type[Message]) -> Callable[[Message], Any]:
        conv = self._encoders[cls] = self._encoder.message_conv(cls.DESCRIPTOR)
        return conv

    # --- output ----------------------------------------------------------------------------------
    def to_obj(self, msg: Message) -> Any:
        """A JSON-able object (a dict for ordinary messages; WKTs give their JSON form)."""
        conv = self._encoders.get(type(msg)) or self._encoder_for(type(msg))
        return conv(msg)

    def encode(self, msg: Message) -> bytes:
        """Compact UTF-8 JSON (of a ``share``d message: encoded once)."""
        shared = _shared.get(id(msg)) if _shared else None
        if shared is not None and shared[0] is msg and (done := shared[1].get(self.style)) is not None:
            return done
        conv = self._encoders.get(type(msg)) or self._encoder_for(type(msg))
        body = orjson.dumps(conv(msg))
        if shared is not None and shared[0] is msg:
            shared[1][self.style] = body
        return body

    # --- input -----------------------------------------------------------------------------------
    def from_obj(self, obj: Any, cls: type[M]) -> M:
        if type(obj) is not dict:
            raise JsonCodecError("request body must be a JSON object")
        fast = self._fast_decoders.get(cls)
        if fast is None:
            fast = self._fast_decoders[cls] = self._fast.message_into(cls.DESCRIPTOR)
        msg = cls()
        try:
            fast(obj, msg, 1)
            return msg
        except Exception:  # the plans below decode again and name the problem
            pass
        msg = cls()
        try:
            self._decoder.message_into(cls.DESCRIPTOR)(obj, msg, 1)
            return msg
        except Fail as e:
            raise JsonCodecError(e.message()) from None
        except RecursionError:
            raise JsonCodecError("nesting too deep") from None

    def decode(self, data: bytes | str, cls: type[M]) -> M:
        """Parse a request body; an empty (or all-whitespace) body is an empty message."""
        if not data or not data.strip():
            return cls()
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError as e:
            raise JsonCodecError(f"malformed JSON: {e}") from None
        return self.from_obj(obj, cls)

    def merge_obj(self, obj: Any, msg: Message) -> None:
        """Merge like json_format.ParseDict: given lists and maps replace, null clears, scalars set."""
        parsed = self.from_obj(obj, type(msg))
        kinds = self._decoder.field_kinds.get(msg.DESCRIPTOR, {})
        for key, value in obj.items():
            kind = kinds.get(key)
            if kind is None:
                continue
            name, repeated = kind
            if value is None or repeated:
                msg.ClearField(name)
            elif parsed.DESCRIPTOR.fields_by_name[name].message_type is None:
                setattr(msg, name, getattr(parsed, name))  # zero values too, which MergeFrom skips
        msg.MergeFrom(parsed)

    def merge_field(self, value: Any, field_name: str, msg: Message) -> None:
        """REST `body: "field"`: the body is that one field's JSON value."""
        self.merge_obj({field_name: value}, msg)


@functools.cache
def codec_for(style: JsonStyle) -> JsonCodec:
    """One codec (and so one set of compiled plans) per style."""
    return JsonCodec(style)
