"""The one problem a failed bundle answers, naming the operation that failed."""

from rest_framework import exceptions


class BundleError(exceptions.APIException):
    """A bundle's failure: its status, and ``errors`` whose fields point into the bundle.

    ``operation`` is ``{index, op, resource, lid}`` of the failing operation (None when the
    bundle as a whole is malformed); the problem document carries it as ``operation``.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str,
        code: str,
        operation: dict | None = None,
        errors: list[dict] | None = None,
    ):
        where = _describe(operation)
        super().__init__(f"{where}: {message}" if where else message, code=code)
        self.status_code = status
        self.errors = errors or [{"field": field, "code": code, "message": message}]
        self.operation = operation
        self.problem_extra = {"errors": self.errors}
        if operation is not None:
            self.problem_extra["operation"] = operation


def _describe(operation: dict | None) -> str:
    if operation is None:
        return ""
    lid = f', lid "{operation["lid"]}"' if operation.get("lid") else ""
    return f"Operation {operation['index']} ({operation.get('op')} {operation.get('resource')}{lid})"
