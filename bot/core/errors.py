"""Errors that carry a sentence for the person who caused them."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request that cannot be met; `str()` is shown to the person as it is."""


class NotFound(UserError):
    pass


class FieldErrors(UserError):
    """Errors keyed by the modal block id they belong to, for `response_action: errors`."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
