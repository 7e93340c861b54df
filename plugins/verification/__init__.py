"""Join verification: newcomers press a button or answer a question before they may post."""

from plugins.verification.plugin import VerificationPlugin

PLUGIN = VerificationPlugin

__all__ = ["PLUGIN", "VerificationPlugin"]
