"""Application RPCs of zitadel.management.v1.ManagementService (a mixin of ``ManagementServicer``).

Client secrets appear only in the responses of the add and regenerate RPCs; reads never carry them.
"""

from __future__ import annotations

from typing import Any

from zitadel import management_pb2 as mgmt
from ztn.domain.apps import Apps
from ztn.domain.models import Page
from ztn.gateway.codec_json import share
from ztn.services.management import apps_converter as conv
from ztn.services.management.projects import org_scope
from ztn.services.system_converter import list_details, list_query, object_details

_RESPONSES_KEPT = 64
_RESPONSES: dict[int, tuple[Page[Any], mgmt.ListAppsResponse]] = {}


class AppsMixin:
    apps: Apps

    async def GetAppByID(self, request: mgmt.GetAppByIDRequest, context: Any) -> mgmt.GetAppByIDResponse:
        app = await self.apps.get(org_scope(), request.project_id, request.app_id)
        return mgmt.GetAppByIDResponse(app=conv.app(app))

    async def ListApps(self, request: mgmt.ListAppsRequest, context: Any) -> mgmt.ListAppsResponse:
        page = await self.apps.list(
            org_scope(), request.project_id, list_query(request.query), conv.name_filters(request.queries)
        )
        kept = _RESPONSES.get(id(page))
        if kept is not None and kept[0] is page:
            return kept[1]
        # An unchanged page is the same Page object: its response is built once and declared final, so
        # the JSON doors encode it once too (codec_json.share).
        response = share(
            mgmt.ListAppsResponse(details=list_details(page), result=[conv.app_fields(a) for a in page.items])
        )
        if len(_RESPONSES) >= _RESPONSES_KEPT:
            del _RESPONSES[next(iter(_RESPONSES))]
        _RESPONSES[id(page)] = (page, response)  # holding page keeps its id from being reused
        return response

    async def AddOIDCApp(self, request: mgmt.AddOIDCAppRequest, context: Any) -> mgmt.AddOIDCAppResponse:
        added = await self.apps.add_oidc(
            org_scope(), request.project_id, request.name, conv.oidc_config(request)
        )
        problems = conv.localized(added.compliance_problems)
        return mgmt.AddOIDCAppResponse(
            app_id=added.app_id,
            details=object_details(added.details),
            client_id=added.client_id,
            client_secret=added.client_secret,
            none_compliant=bool(problems),
            compliance_problems=problems,
        )

    async def AddAPIApp(self, request: mgmt.AddAPIAppRequest, context: Any) -> mgmt.AddAPIAppResponse:
        added = await self.apps.add_api(
            org_scope(), request.project_id, request.name, conv.api_config(request)
        )
        return mgmt.AddAPIAppResponse(
            app_id=added.app_id,
            details=object_details(added.details),
            client_id=added.client_id,
            client_secret=added.client_secret,
        )

    async def AddSAMLApp(self, request: mgmt.AddSAMLAppRequest, context: Any) -> mgmt.AddSAMLAppResponse:
        added = await self.apps.add_saml(
            org_scope(), request.project_id, request.name, conv.saml_config(request)
        )
        return mgmt.AddSAMLAppResponse(app_id=added.app_id, details=object_details(added.details))

    async def UpdateApp(self, request: mgmt.UpdateAppRequest, context: Any) -> mgmt.UpdateAppResponse:
        details = await self.apps.rename(org_scope(), request.project_id, request.app_id, request.name)
        return mgmt.UpdateAppResponse(details=object_details(details))

    async def UpdateOIDCAppConfig(
        self, request: mgmt.UpdateOIDCAppConfigRequest, context: Any
    ) -> mgmt.UpdateOIDCAppConfigResponse:
        details = await self.apps.update_oidc_config(
            org_scope(), request.project_id, request.app_id, conv.oidc_config(request)
        )
        return mgmt.UpdateOIDCAppConfigResponse(details=object_details(details))

    async def UpdateAPIAppConfig(
        self, request: mgmt.UpdateAPIAppConfigRequest, context: Any
    ) -> mgmt.UpdateAPIAppConfigResponse:
        details = await self.apps.update_api_config(
            org_scope(), request.project_id, request.app_id, conv.api_config(request)
        )
        return mgmt.UpdateAPIAppConfigResponse(details=object_details(details))

    async def DeactivateApp(
        self, request: mgmt.DeactivateAppRequest, context: Any
    ) -> mgmt.DeactivateAppResponse:
        details = await self.apps.deactivate(org_scope(), request.project_id, request.app_id)
        return mgmt.DeactivateAppResponse(details=object_details(details))

    async def ReactivateApp(
        self, request: mgmt.ReactivateAppRequest, context: Any
    ) -> mgmt.ReactivateAppResponse:
        details = await self.apps.reactivate(org_scope(), request.project_id, request.app_id)
        return mgmt.ReactivateAppResponse(details=object_details(details))

    async def RemoveApp(self, request: mgmt.RemoveAppRequest, context: Any) -> mgmt.RemoveAppResponse:
        details = await self.apps.remove(org_scope(), request.project_id, request.app_id)
        return mgmt.RemoveAppResponse(details=object_details(details))

    async def RegenerateOIDCClientSecret(
        self, request: mgmt.RegenerateOIDCClientSecretRequest, context: Any
    ) -> mgmt.RegenerateOIDCClientSecretResponse:
        secret, details = await self.apps.regenerate_oidc_secret(
            org_scope(), request.project_id, request.app_id
        )
        return mgmt.RegenerateOIDCClientSecretResponse(client_secret=secret, details=object_details(details))

    async def RegenerateAPIClientSecret(
        self, request: mgmt.RegenerateAPIClientSecretRequest, context: Any
    ) -> mgmt.RegenerateAPIClientSecretResponse:
        secret, details = await self.apps.regenerate_api_secret(
            org_scope(), request.project_id, request.app_id
        )
        return mgmt.RegenerateAPIClientSecretResponse(client_secret=secret, details=object_details(details))
