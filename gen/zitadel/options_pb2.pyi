from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
AUTH_OPTION_FIELD_NUMBER: _ClassVar[int]
auth_option: _descriptor.FieldDescriptor

class AuthOption(_message.Message):
    __slots__ = ("permission", "check_field_name")
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NAME_FIELD_NUMBER: _ClassVar[int]
    permission: str
    check_field_name: str
    def __init__(self, permission: _Optional[str] = ..., check_field_name: _Optional[str] = ...) -> None: ...
