"""Application messages <-> domain values, so the servicer stays thin."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf import duration_pb2

from zitadel import app_pb2, message_pb2
from zitadel import management_pb2 as mgmt
from ztn.domain import project_models as pm
from ztn.domain.models import TextMethod

# --- requests -> domain ------------------------------------------------------------------------------


def name_filters(queries: Iterable[app_pb2.AppQuery]) -> list[pm.NameFilter]:
    return [
        pm.NameFilter(q.name_query.name, TextMethod(q.name_query.method))
        for q in queries
        if q.WhichOneof("query") == "name_query"
    ]


def login_version(msg: app_pb2.LoginVersion, present: bool) -> pm.LoginVersion:
    kind = msg.WhichOneof("version") if present else None
    if kind == "login_v1":
        return pm.LoginVersion(1)
    if kind == "login_v2":
        base = msg.login_v2.base_uri if msg.login_v2.HasField("base_uri") else None
        return pm.LoginVersion(2, base)
    return pm.LoginVersion()


def oidc_config(req: mgmt.AddOIDCAppRequest | mgmt.UpdateOIDCAppConfigRequest) -> pm.OidcConfig:
    skew = req.clock_skew.ToTimedelta() if req.HasField("clock_skew") else timedelta(0)
    return pm.OidcConfig(
        redirect_uris=tuple(req.redirect_uris),
        response_types=tuple(pm.OidcResponseType(x) for x in req.response_types if x in _RESPONSE_TYPES),
        grant_types=tuple(pm.OidcGrantType(x) for x in req.grant_types if x in _GRANT_TYPES),
        app_type=pm.OidcAppType(req.app_type),
        auth_method=pm.OidcAuthMethod(req.auth_method_type),
        post_logout_redirect_uris=tuple(req.post_logout_redirect_uris),
        dev_mode=req.dev_mode,
        access_token_type=pm.OidcTokenType(req.access_token_type),
        access_token_role_assertion=req.access_token_role_assertion,
        id_token_role_assertion=req.id_token_role_assertion,
        id_token_userinfo_assertion=req.id_token_userinfo_assertion,
        clock_skew=skew,
        additional_origins=tuple(req.additional_origins),
        skip_native_app_success_page=req.skip_native_app_success_page,
        back_channel_logout_uri=req.back_channel_logout_uri,
        login_version=login_version(req.login_version, req.HasField("login_version")),
    )


_RESPONSE_TYPES = frozenset(pm.OidcResponseType)
_GRANT_TYPES = frozenset(pm.OidcGrantType)


def api_config(req: mgmt.AddAPIAppRequest | mgmt.UpdateAPIAppConfigRequest) -> pm.ApiConfig:
    return pm.ApiConfig(pm.ApiAuthMethod(req.auth_method_type))


def saml_config(req: mgmt.AddSAMLAppRequest) -> pm.SamlConfig:
    kind = req.WhichOneof("metadata")
    return pm.SamlConfig(
        metadata_xml=req.metadata_xml if kind == "metadata_xml" else None,
        metadata_url=req.metadata_url if kind == "metadata_url" else None,
        login_version=login_version(req.login_version, req.HasField("login_version")),
    )


# --- domain -> responses -----------------------------------------------------------------------------


def localized(messages: Iterable[pm.LocalizedMessage]) -> list[message_pb2.LocalizedMessage]:
    return [message_pb2.LocalizedMessage(key=m.key, localized_message=m.text) for m in messages]


def _login_version(value: pm.LoginVersion) -> app_pb2.LoginVersion | None:
    if value.version == 1:
        return app_pb2.LoginVersion(login_v1=app_pb2.LoginV1())
    if value.version == 2:
        v2 = app_pb2.LoginV2() if value.base_uri is None else app_pb2.LoginV2(base_uri=value.base_uri)
        return app_pb2.LoginVersion(login_v2=v2)
    return None


def _duration(value: timedelta) -> duration_pb2.Duration:
    d = duration_pb2.Duration()
    d.FromTimedelta(value)
    return d


def app(value: pm.App) -> app_pb2.App:
    return app_pb2.App(**app_fields(value))


def app_fields(value: pm.App) -> dict[str, Any]:
    """``app_pb2.App`` constructor arguments. Lists pass these dicts straight to the response's
    constructor: building 100 nested messages from plain values is about twice as fast as building
    each sub-message and copying it into its parent."""
    d = value.details
    details: dict[str, Any] = {"sequence": d.sequence, "resource_owner": d.resource_owner}
    if d.creation_date is not None:
        details["creation_date"] = _timestamp(d.creation_date)
    if d.change_date is not None:
        details["change_date"] = _timestamp(d.change_date)
    fields: dict[str, Any] = {
        "id": value.id,
        "details": details,
        "state": int(value.state),
        "name": value.name,
    }
    c = value.config
    if isinstance(c, pm.ApiConfig):
        fields["api_config"] = {"client_id": value.client_id, "auth_method_type": int(c.auth_method)}
    elif isinstance(c, pm.OidcConfig):
        problems = localized(value.compliance_problems)
        fields["oidc_config"] = app_pb2.OIDCConfig(
            redirect_uris=c.redirect_uris,
            response_types=[int(x) for x in c.response_types],
            grant_types=[int(x) for x in c.grant_types],
            app_type=int(c.app_type),
            client_id=value.client_id,
            auth_method_type=int(c.auth_method),
            post_logout_redirect_uris=c.post_logout_redirect_uris,
            version=app_pb2.OIDC_VERSION_1_0,
            none_compliant=bool(problems),
            compliance_problems=problems,
            dev_mode=c.dev_mode,
            access_token_type=int(c.access_token_type),
            access_token_role_assertion=c.access_token_role_assertion,
            id_token_role_assertion=c.id_token_role_assertion,
            id_token_userinfo_assertion=c.id_token_userinfo_assertion,
            clock_skew=_duration(c.clock_skew),  # always set: "0s" in JSON, as ZITADEL does
            additional_origins=c.additional_origins,
            allowed_origins=value.allowed_origins,
            skip_native_app_success_page=c.skip_native_app_success_page,
            back_channel_logout_uri=c.back_channel_logout_uri,
            login_version=_login_version(c.login_version),
        )
    else:
        saml = app_pb2.SAMLConfig(login_version=_login_version(c.login_version))
        if c.metadata_xml is not None:
            saml.metadata_xml = c.metadata_xml
        else:
            saml.metadata_url = c.metadata_url or ""
        fields["saml_config"] = saml
    return fields


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _timestamp(value: datetime) -> dict[str, int]:
    """Timestamp constructor arguments (``services.timestamps.timestamp`` without the message)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - _EPOCH
    return {"seconds": delta.days * 86400 + delta.seconds, "nanos": delta.microseconds * 1000}
