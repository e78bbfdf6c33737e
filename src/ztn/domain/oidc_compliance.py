"""OIDC application rules that do not reject a configuration: compliance problems and allowed origins.

ZITADEL accepts non-compliant combinations and reports them (``noneCompliant`` + ``complianceProblems``,
keys under ``Application.OIDC.V1.*``). The checks and their order follow ZITADEL's
``domain.GetOIDCV1Compliance``; the texts are its English translations.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from ztn.domain.project_models import (
    LocalizedMessage,
    OidcAppType,
    OidcAuthMethod,
    OidcConfig,
    OidcGrantType,
)

_TEXTS = {
    "Application.OIDC.V1.NotAllCombinationsAreAllowed": (
        "Configuration is possible, but not all combinations are allowed."
    ),
    "Application.OIDC.V1.NoRedirectUris": "At least one redirect uri must be registered.",
    "Application.OIDC.V1.GrantType.Refresh.NoAuthCode": (
        "Refresh Token only allowed in combination with Authorization Code."
    ),
    "Application.OIDC.V1.Implicit.RedirectUris.CustomNotAllowed": (
        "Grant type implicit doesn't allow custom redirect uris"
    ),
    "Application.OIDC.V1.Implicit.RedirectUris.HttpNotAllowed": (
        "Grant type implicit doesn't allow http redirect uris"
    ),
    "Application.OIDC.V1.Implicit.RedirectUris.NativeShouldBeHttpLocalhost": (
        "Grant type implicit only allows http://localhost for native apptype"
    ),
    "Application.OIDC.V1.Code.RedirectUris.HttpOnlyForWeb": (
        "Grant type code only allows http redirect uris for apptype web."
    ),
    "Application.OIDC.V1.Code.RedirectUris.CustomOnlyForNative": (
        "Grant type code only allows custom redirect uris for apptype native (e.g appname:// )"
    ),
    "Application.OIDC.V1.Native.RedirectUris.MustBeHttpLocalhost": (
        "Redirect URIs must begin with own protocol, http://127.0.0.1, http://[::1] or http://localhost."
    ),
    "Application.OIDC.V1.Native.AuthMethodType.NotNone": (
        "Native applications should have authmethodtype none."
    ),
    "Application.OIDC.V1.UserAgent.AuthMethodType.NotNone": "User agent app should have authmethodtype none.",
}
_LOOPBACK = ("localhost", "127.0.0.1", "[::1]", "::1")


def compliance_problems(config: OidcConfig) -> tuple[LocalizedMessage, ...]:
    """The problems of a configuration, in ZITADEL's order; empty means compliant."""
    keys: list[str] = []
    grants = set(config.grant_types)
    uris = config.redirect_uris
    if OidcGrantType.AUTHORIZATION_CODE not in grants and OidcGrantType.REFRESH_TOKEN in grants:
        keys.append("Application.OIDC.V1.GrantType.Refresh.NoAuthCode")
    if not uris:
        keys.insert(0, "Application.OIDC.V1.NoRedirectUris")
    if OidcGrantType.IMPLICIT in grants:
        keys += _implicit_uri_problems(config.app_type, uris)
    if OidcGrantType.AUTHORIZATION_CODE in grants:
        keys += _code_uri_problems(config.app_type, uris)
    if config.app_type == OidcAppType.NATIVE and config.auth_method != OidcAuthMethod.NONE:
        keys.append("Application.OIDC.V1.Native.AuthMethodType.NotNone")
    if config.app_type == OidcAppType.USER_AGENT and config.auth_method != OidcAuthMethod.NONE:
        keys.append("Application.OIDC.V1.UserAgent.AuthMethodType.NotNone")
    if keys:
        keys.insert(0, "Application.OIDC.V1.NotAllCombinationsAreAllowed")
    return tuple(LocalizedMessage(k, _TEXTS[k]) for k in keys)


def _scheme(uri: str) -> str:
    return uri.split(":", 1)[0].lower() if ":" in uri else ""


def _all_https(uris: Sequence[str]) -> bool:
    return all(_scheme(u) == "https" for u in uris)


def _any_http(uris: Sequence[str]) -> bool:
    return any(_scheme(u) == "http" for u in uris)


def _any_custom(uris: Sequence[str]) -> bool:
    return any(_scheme(u) not in ("http", "https") for u in uris)


def _http_only_loopback(uris: Sequence[str]) -> bool:
    return all(
        urlsplit(u).hostname in _LOOPBACK or u.lower().startswith("http://[::1]")
        for u in uris
        if _scheme(u) == "http"
    )


def _implicit_uri_problems(app_type: OidcAppType, uris: Sequence[str]) -> list[str]:
    if _all_https(uris):
        return []
    out = []
    if _any_custom(uris):
        out.append("Application.OIDC.V1.Implicit.RedirectUris.CustomNotAllowed")
    if _any_http(uris):
        if app_type == OidcAppType.NATIVE:
            if not _http_only_loopback(uris):
                out.append("Application.OIDC.V1.Implicit.RedirectUris.NativeShouldBeHttpLocalhost")
        else:
            out.append("Application.OIDC.V1.Implicit.RedirectUris.HttpNotAllowed")
    return out


def _code_uri_problems(app_type: OidcAppType, uris: Sequence[str]) -> list[str]:
    if _all_https(uris):
        return []
    out = []
    if _any_http(uris):
        if app_type == OidcAppType.USER_AGENT:
            out.append("Application.OIDC.V1.Code.RedirectUris.HttpOnlyForWeb")
        if app_type == OidcAppType.NATIVE and not _http_only_loopback(uris):
            out.append("Application.OIDC.V1.Native.RedirectUris.MustBeHttpLocalhost")
    if _any_custom(uris) and app_type != OidcAppType.NATIVE:
        out.append("Application.OIDC.V1.Code.RedirectUris.CustomOnlyForNative")
    return out


def allowed_origins(config: OidcConfig) -> tuple[str, ...]:
    """Origins (scheme://host[:port]) of the http(s) redirect URIs, then the additional ones; no repeats."""
    out: dict[str, None] = {}
    for uri in config.redirect_uris:
        parts = urlsplit(uri)
        if parts.scheme in ("http", "https") and parts.netloc:
            out[f"{parts.scheme}://{parts.netloc}"] = None
    for origin in config.additional_origins:
        out[origin] = None
    return tuple(out)
