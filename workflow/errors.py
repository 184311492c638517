"""Errors a use case raises; the web layer maps ``status`` and ``code`` to HTTP and JSON."""

from __future__ import annotations


class WorkflowError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, details: dict | None = None, *,
                 params: dict | None = None):
        """``message`` is the sentence for people. With ``params`` it is a template
        («… не короче %(n)s символов.») the values fill: the API answers the sentence, and a
        page in another language shows the catalogue's translation of the template with the
        same values (so only values that read the same in any language: numbers, e-mails,
        codes, names)."""
        self.template, self.params = message, params or {}
        self.message = message % self.params if params else message
        super().__init__(self.message)
        if code:
            self.code = code
        self.details = details or {}


class BadInput(WorkflowError):
    status = 400
    code = "invalid_input"


class NotAuthenticated(WorkflowError):
    status = 401
    code = "not_authenticated"


class Forbidden(WorkflowError):
    status = 403
    code = "forbidden"


class NotFound(WorkflowError):
    status = 404
    code = "not_found"


class Conflict(WorkflowError):
    status = 409
    code = "conflict"


class TooLarge(WorkflowError):
    status = 413
    code = "too_large"


class RuleViolation(WorkflowError):
    status = 422
    code = "rule_violation"
