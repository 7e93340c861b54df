"""The Telegram adapter (python-telegram-bot): package layout, one job per module.

ids (id scheme) · config (env) · members (admins, people seen) · inbound (updates -> events) ·
outbound (actions -> Bot API) · errors (refusals explained) · menus (setMyCommands) ·
lanes (per-chat order) · ratelimit (flood limits) · webhook (HTTP endpoint) · adapter (the whole).
"""

from bot.adapters.telegram.adapter import ALLOWED_UPDATES, TelegramAdapter
from bot.adapters.telegram.config import TelegramConfig, TelegramConfigError, WebhookConfig
from bot.adapters.telegram.errors import TelegramStartError

__all__ = [
    "ALLOWED_UPDATES",
    "TelegramAdapter",
    "TelegramConfig",
    "TelegramConfigError",
    "TelegramStartError",
    "WebhookConfig",
]
