"""Reading ``zitadel.v1.auth_option`` (MethodOptions extension 50000) from a method descriptor.

The option is decoded from the serialized MethodOptions with a private look-alike message whose
field 50000 is ``AuthOption``. The bytes are identical whether or not ``zitadel.options_pb2`` has
registered the extension (protobuf keeps unknown fields), so a method that declares a permission
is always guarded: reading the option can never silently fail open because of an import order.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import MethodDescriptor

AUTH_OPTION_FIELD = 50000


@dataclass(frozen=True)
class AuthOption:
    permission: str
    check_field_name: str = ""


def _option_reader() -> type:
    f = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(name="ztn_auth_option_reader.proto", package="ztn.auth")
    auth = file.message_type.add(name="AuthOption")
    auth.field.add(name="permission", number=1, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL)
    auth.field.add(name="check_field_name", number=2, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL)
    holder = file.message_type.add(name="MethodOptionsView")
    holder.field.add(
        name="auth_option",
        number=AUTH_OPTION_FIELD,
        type=f.TYPE_MESSAGE,
        type_name=".ztn.auth.AuthOption",
        label=f.LABEL_OPTIONAL,
    )
    pool = descriptor_pool.DescriptorPool()  # private: must not clash with zitadel/options.proto
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("ztn.auth.MethodOptionsView"))


_MethodOptionsView = _option_reader()


def auth_option(method: MethodDescriptor) -> AuthOption | None:
    """The method's auth option, or None when the method declares none (e.g. Healthz)."""
    if not method.has_options:
        return None
    view = _MethodOptionsView.FromString(method.GetOptions().SerializeToString())
    if not view.HasField("auth_option"):
        return None
    return AuthOption(view.auth_option.permission, view.auth_option.check_field_name)
