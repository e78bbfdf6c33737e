"""PGV rule enforcement: texts and order as Go protoc-gen-validate produces them for ZITADEL's protos."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pool

from zitadel import system_pb2 as system
from ztn.gateway.registry import MethodInfo, ServiceOptions
from ztn.gateway.validation import ValidationMiddleware, go_camel_case, go_duration, validate

CreateInstance = system.CreateInstanceRequest


def human(email: str) -> CreateInstance.Human:
    return CreateInstance.Human(email=CreateInstance.Email(email=email))


def test_valid_request_passes() -> None:
    req = CreateInstance(instance_name="acme", human=human("owner@acme.example"))
    assert validate(req) is None


def test_string_length_counts_runes_not_bytes() -> None:
    assert validate(system.GetInstanceRequest(instance_id="ä" * 200)) is None  # 400 bytes, 200 runes
    assert validate(system.GetInstanceRequest(instance_id="ä" * 201)) == (
        "invalid GetInstanceRequest.InstanceId: value length must be between 1 and 200 runes, inclusive"
    )
    assert validate(system.GetInstanceRequest(instance_id="")) is not None


def test_max_len_only_text() -> None:
    req = CreateInstance(instance_name="a", default_language="🇩🇪" * 6, human=human("a@b.ch"))
    assert (
        validate(req)
        == "invalid CreateInstanceRequest.DefaultLanguage: value length must be at most 10 runes"
    )


def test_required_oneof_unset() -> None:
    assert (
        validate(CreateInstance(instance_name="acme"))
        == "invalid CreateInstanceRequest.Owner: value is required"
    )


def test_required_message_inside_nested_message() -> None:
    req = CreateInstance(instance_name="acme", human=CreateInstance.Human())
    assert validate(req) == (
        "invalid CreateInstanceRequest.Human: embedded message failed validation | caused by: "
        "invalid CreateInstanceRequest_Human.Email: value is required"
    )


def test_required_false_is_a_no_op() -> None:
    assert (
        validate(CreateInstance(instance_name="acme", human=human("a@b.ch"))) is None
    )  # no profile/password


def test_nested_path_uses_go_type_names() -> None:
    req = CreateInstance(instance_name="acme", machine=CreateInstance.Machine(user_name="x" * 201))
    assert validate(req) == (
        "invalid CreateInstanceRequest.Machine: embedded message failed validation | caused by: "
        "invalid CreateInstanceRequest_Machine.UserName: value length must be at most 200 runes"
    )


@pytest.mark.parametrize(
    ("email", "cause"),
    [
        ("no-at-sign", "mail: missing '@' or angle-addr"),
        ("a@bad_host.com", 'hostname parts can only contain alphanumeric characters or hyphens, got "_"'),
        ("a@-x.com", "hostname parts cannot begin with hyphens"),
        ("a@" + "x" * 64 + ".com", "hostname part must be non-empty and cannot exceed 63 characters"),
        ("x" * 65 + "@acme.example", "email address local phrase cannot exceed 64 characters"),
    ],
)
def test_email_rule(email: str, cause: str) -> None:
    violation = validate(CreateInstance(instance_name="acme", human=human(email)))
    assert violation == (
        "invalid CreateInstanceRequest.Human: embedded message failed validation | caused by: "
        "invalid CreateInstanceRequest_Human.Email: embedded message failed validation | caused by: "
        f"invalid CreateInstanceRequest_Email.Email: value must be a valid email address | caused by: {cause}"
    )


@pytest.mark.parametrize("email", ["owner@acme.example", "Owner Name <owner@acme.example>", "a.b+c@x-y.io"])
def test_email_rule_accepts_addresses(email: str) -> None:
    assert validate(CreateInstance(instance_name="acme", human=human(email))) is None


def test_email_min_len_is_checked_before_format() -> None:
    violation = validate(CreateInstance(instance_name="acme", human=human("")))
    assert violation is not None
    assert violation.endswith(
        "invalid CreateInstanceRequest_Email.Email: value length must be between 1 and 200 runes, inclusive"
    )


def machine_key(key_type: int) -> CreateInstance:
    machine = CreateInstance.Machine(machine_key=CreateInstance.MachineKey(type=key_type))  # type: ignore[arg-type]
    return CreateInstance(instance_name="acme", machine=machine)


def test_enum_not_in_lists_value_names() -> None:
    # Go PGV (>= 0.9.1) prints enum names in in/not_in lists.
    assert validate(machine_key(0)) == (
        "invalid CreateInstanceRequest.Machine: embedded message failed validation | caused by: "
        "invalid CreateInstanceRequest_Machine.MachineKey: embedded message failed validation | caused by: "
        "invalid CreateInstanceRequest_MachineKey.Type: value must not be in list [KEY_TYPE_UNSPECIFIED]"
    )
    assert validate(machine_key(1)) is None


def test_enum_defined_only() -> None:
    violation = validate(machine_key(7))
    assert violation is not None
    assert violation.endswith(
        "CreateInstanceRequest_MachineKey.Type: value must be one of the defined enum values"
    )


def test_repeated_max_items_and_item_rules() -> None:
    prefix = (
        "invalid ListInstancesRequest.Queries[0]: embedded message failed validation | caused by: "
        "invalid Query.DomainQuery: embedded message failed validation | caused by: "
    )
    too_many = system.ListInstancesRequest(queries=[{"domain_query": {"domains": ["a.ch"] * 21}}])
    assert (
        validate(too_many)
        == prefix + "invalid DomainsQuery.Domains: value must contain no more than 20 item(s)"
    )
    empty_item = system.ListInstancesRequest(queries=[{"domain_query": {"domains": ["a.ch", ""]}}])
    assert validate(empty_item) == (
        prefix + "invalid DomainsQuery.Domains[1]: value length must be between 1 and 100 runes, inclusive"
    )
    assert (
        validate(system.ListInstancesRequest(queries=[{"domain_query": {"domains": ["a.ch"] * 20}}])) is None
    )


def test_required_oneof_in_repeated_item() -> None:
    req = system.ListDomainsRequest(instance_id="1", queries=[{"primary_query": {}}, {}])
    assert validate(req) == (
        "invalid ListDomainsRequest.Queries[1]: embedded message failed validation | caused by: "
        "invalid DomainSearchQuery.Query: value is required"
    )


def test_first_violation_in_field_order_wins() -> None:
    req = system.AddDomainRequest(instance_id="", domain="")
    assert (
        validate(req)
        == "invalid AddDomainRequest.InstanceId: value length must be between 1 and 200 runes, inclusive"
    )
    # plain fields come before oneofs, whatever the field numbers say
    req2 = CreateInstance(instance_name="acme", default_language="x" * 11)
    assert (
        validate(req2)
        == "invalid CreateInstanceRequest.DefaultLanguage: value length must be at most 10 runes"
    )


def test_messages_without_rules_are_valid() -> None:
    assert validate(system.HealthzRequest()) is None
    assert (
        validate(system.UpdateInstanceRequest(instance_id="", instance_name="n")) is None
    )  # no rule on the id


def test_go_names_and_durations() -> None:
    assert go_camel_case("instance_name") == "InstanceName"
    assert go_camel_case("CreateInstanceRequest.Machine") == "CreateInstanceRequest_Machine"
    assert go_camel_case("x509_cert") == "X509Cert"
    dur = descriptor_pool.Default().FindMessageTypeByName("google.protobuf.Duration")
    from google.protobuf import message_factory

    duration = message_factory.GetMessageClass(dur)
    assert [
        go_duration(duration(seconds=s, nanos=n)) for s, n in [(0, 0), (5, 0), (1, 500_000_000), (90, 0)]
    ] == [
        "0s",
        "5s",
        "1.5s",
        "1m30s",
    ]
    assert go_duration(duration(nanos=250_000_000)) == "250ms"


class _Aborted(Exception):
    pass


class FakeContext:
    def __init__(self) -> None:
        self.code: grpc.StatusCode | None = None
        self.details = ""

    async def abort(self, code: grpc.StatusCode, details: str = "") -> None:
        self.code, self.details = code, details
        raise _Aborted


def method_info(name: str, handler: Any) -> MethodInfo:
    service = system.DESCRIPTOR.services_by_name["SystemService"]
    md = service.methods_by_name[name]
    return MethodInfo(
        path=f"/{service.full_name}/{name}",
        descriptor=md,
        request_cls=getattr(system, md.input_type.name),
        response_cls=getattr(system, md.output_type.name),
        options=ServiceOptions(),
        handler=handler,
    )


async def test_middleware_aborts_with_invalid_argument() -> None:
    calls: list[Any] = []

    async def handler(request: Any, context: Any) -> Any:
        calls.append(request)
        return system.GetInstanceResponse()

    wrapped = ValidationMiddleware().wrap(method_info("GetInstance", handler), handler)
    assert wrapped is not handler
    ctx = FakeContext()
    with pytest.raises(_Aborted):
        await wrapped(system.GetInstanceRequest(), ctx)
    assert ctx.code == grpc.StatusCode.INVALID_ARGUMENT
    assert ctx.details == (
        "invalid GetInstanceRequest.InstanceId: value length must be between 1 and 200 runes, inclusive"
    )
    assert calls == []
    assert (
        await wrapped(system.GetInstanceRequest(instance_id="1"), FakeContext())
        == system.GetInstanceResponse()
    )
    assert len(calls) == 1


def test_middleware_leaves_rule_less_methods_unwrapped() -> None:
    async def handler(request: Any, context: Any) -> Any:
        return system.HealthzResponse()

    assert ValidationMiddleware().wrap(method_info("Healthz", handler), handler) is handler
