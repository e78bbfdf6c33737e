from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class TextQueryMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEXT_QUERY_METHOD_EQUALS: _ClassVar[TextQueryMethod]
    TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE: _ClassVar[TextQueryMethod]
    TEXT_QUERY_METHOD_STARTS_WITH: _ClassVar[TextQueryMethod]
    TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE: _ClassVar[TextQueryMethod]
    TEXT_QUERY_METHOD_CONTAINS: _ClassVar[TextQueryMethod]
    TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE: _ClassVar[TextQueryMethod]
    TEXT_QUERY_METHOD_ENDS_WITH: _ClassVar[TextQueryMethod]
    TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE: _ClassVar[TextQueryMethod]
TEXT_QUERY_METHOD_EQUALS: TextQueryMethod
TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE: TextQueryMethod
TEXT_QUERY_METHOD_STARTS_WITH: TextQueryMethod
TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE: TextQueryMethod
TEXT_QUERY_METHOD_CONTAINS: TextQueryMethod
TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE: TextQueryMethod
TEXT_QUERY_METHOD_ENDS_WITH: TextQueryMethod
TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE: TextQueryMethod
