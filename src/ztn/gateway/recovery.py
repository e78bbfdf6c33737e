"""The outermost link of the chain: access log, and no exception text ever reaches a client.

grpc.aio would answer an uncaught exception with UNKNOWN "Unexpected <class ...>: <text>", leaking
internals; here it is logged with its traceback and answered INTERNAL "Internal error".
"""

from __future__ import annotations

import logging
import time

import grpc

from ztn.gateway.registry import Handler, MethodInfo

access_log = logging.getLogger("ztn.access")
log = logging.getLogger("ztn.gateway")


class RecoveryMiddleware:
    def wrap(self, method: MethodInfo, handler: Handler) -> Handler:
        path = method.path

        async def recovered(request, context):
            started = time.perf_counter()
            code = grpc.StatusCode.OK
            try:
                return await handler(request, context)
            except grpc.aio.AbortError:
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            except Exception:
                log.exception("unhandled exception in %s", path)
                code = grpc.StatusCode.INTERNAL
                await context.abort(grpc.StatusCode.INTERNAL, "Internal error")
            finally:
                if access_log.isEnabledFor(logging.INFO):
                    code_name = code.name if isinstance(code, grpc.StatusCode) else str(code)
                    access_log.info(
                        "%s %s %.2fms peer=%s",
                        path,
                        code_name,
                        (time.perf_counter() - started) * 1000,
                        context.peer(),
                    )

        return recovered
