"""Reading ``zitadel.protoc_gen_zitadel.v2.options`` (MethodOptions extension 50001) from a method.

Same defensive decoding as :mod:`ztn.auth.auth_option`: a private look-alike message reads the
extension's bytes whether or not the generated options module has been imported, so a declared
permission can never be missed because of import order.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import MethodDescriptor

from ztn.auth.auth_option import AuthOption

OPTIONS_FIELD = 50001


def _option_reader() -> type:
    f = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(name="ztn_auth_option_v2_reader.proto", package="ztn.auth.v2")
    auth = file.message_type.add(name="AuthOption")
    auth.field.add(name="permission", number=1, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL)
    options = file.message_type.add(name="Options")
    options.field.add(
        name="auth_option",
        number=1,
        type=f.TYPE_MESSAGE,
        type_name=".ztn.auth.v2.AuthOption",
        label=f.LABEL_OPTIONAL,
    )
    holder = file.message_type.add(name="MethodOptionsView")
    holder.field.add(
        name="options",
        number=OPTIONS_FIELD,
        type=f.TYPE_MESSAGE,
        type_name=".ztn.auth.v2.Options",
        label=f.LABEL_OPTIONAL,
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("ztn.auth.v2.MethodOptionsView"))


_MethodOptionsView = _option_reader()


def auth_option_v2(method: MethodDescriptor) -> AuthOption | None:
    """The v2 auth option (permission only; v2 has no check field), or None when none is declared."""
    if not method.has_options:
        return None
    view = _MethodOptionsView.FromString(method.GetOptions().SerializeToString())
    if not view.options.HasField("auth_option"):
        return None
    return AuthOption(view.options.auth_option.permission)
