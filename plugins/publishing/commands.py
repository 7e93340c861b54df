"""`!post schedule|list|show|edit|cancel|now`: CMs schedule, preview and manage posts from chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from bot.actions import Action, Cancel, Decision
from bot.clock import to_text
from bot.commands import Rest, UsageError, Word
from bot.commands.arguments import read_channel
from bot.events import platform_of
from bot.i18n import Localized, Msg
from bot.permissions import Role
from bot.plugin import CommandCall, command
from bot.when import WhenError, parse_when, zone
from plugins.publishing.chat import (
    Words,
    local_text,
    moment_words,
    read_date,
    read_options,
    when_error,
)
from plugins.publishing.jobs import due_key
from plugins.publishing.recurrence import parse_days
from plugins.publishing.settings import PostSpec, Target
from plugins.publishing.store import ACTIVE, CANCELLED, DONE, PostRow
from plugins.publishing.sync import PostSync

__all__ = ["PostCommands"]

SUBCOMMANDS = ("schedule", "list", "show", "edit", "cancel", "now")
ALIASES = {"programmer": "schedule", "prog": "schedule", "liste": "list", "voir": "show",
           "modifier": "edit", "annuler": "cancel", "maintenant": "now"}
HERE = {"here", "ici"}
EVERY = {"daily": "day", "day": "day", "quotidien": "day", "jour": "day",
         "weekly": "week", "week": "week", "hebdo": "week", "semaine": "week",
         "monthly": "month", "month": "month", "mensuel": "month", "mois": "month"}


class PostCommands(PostSync):
    """The `post` command and its subcommands (CMs of the post's home community)."""

    @command("post", min_role=Role.CM, aliases=("publication",))
    async def post(self, call: CommandCall, subcommand: Word | None = None,
                   arguments: Rest | None = None) -> list[Action | Decision] | Action | None:
        """Scheduled posts: schedule, list, show, edit, cancel, now."""
        name = ALIASES.get((subcommand or "").lower(), (subcommand or "").lower())
        if name not in SUBCOMMANDS:
            raise UsageError(Msg.of("publishing.usage", prefix=call.prefix))
        args = arguments or ""
        if name == "schedule":
            return await self.schedule_post(call, args)
        if name == "list":
            return await self.list_posts(call)
        row = await self._visible(call, args)
        if name == "show":
            return call.reply_text(Localized.of({call.ctx.lang: await self.preview(call, row)}))
        if name == "now":
            if row.home != call.community:
                raise UsageError(Msg.of("publishing.not_home", post=row.id, home=row.home))
            return await self.post_now(call, row)
        self._editable(call, row)
        if name == "cancel":
            await self.posts.set_status(row.id, CANCELLED, self.ctx.services.clock.now())
            return [Cancel(key=due_key(row.id)), call.reply("publishing.cancelled", post=row.id)]
        rest = args.split(None, 1)[1] if len(args.split(None, 1)) > 1 else ""
        return await self.edit_post(call, row, rest)

    # -- reading a post from words ---------------------------------------------------------

    def _target(self, call: CommandCall, word: str) -> Target:
        """`@brand` (one the community belongs to), `#channel`, `here`; never elsewhere."""
        if word.startswith("@"):
            brands = self.ctx.services.brands
            brand = brands.get(word)
            if brand is None:
                raise UsageError(Msg.of("publishing.unknown_brand", brand=word,
                                        brands=", ".join(f"@{n}" for n in brands.names())
                                        or "-"))
            if call.community not in brand.communities:
                raise UsageError(Msg.of("publishing.not_your_brand", brand=word))
            return Target(brand=word[1:].lower())
        platform = platform_of(call.community)
        channel = call.channel if word.lower() in HERE else read_channel(word, platform)
        if channel is None:
            raise UsageError(Msg.of("publishing.bad_target", value=word))
        if platform == "telegram":
            channel = call.community
        return Target(community=call.community,
                      channel=None if channel == call.community else channel)

    def _when(self, call: CommandCall, words: list[str], tz: str) -> tuple[datetime, int]:
        """The local (naive) time the words name, and how many they used."""
        try:
            found = parse_when(words, self.ctx.services.clock.now(), tz)
        except WhenError as exc:
            raise when_error(exc) from None
        return found.local.replace(tzinfo=None), found.consumed

    def _apply(self, call: CommandCall, base: dict[str, Any], options: dict[str, Any],
               tz: str) -> dict[str, Any]:
        """Options on top of a post's fields (as a dict for PostSpec)."""
        spec = dict(base)
        texts = dict(spec.get("text") or {})
        for lang in ("fr", "en"):
            if f"--{lang}" in options:
                texts[lang] = str(options[f"--{lang}"])
        if "--text" in options:
            texts[call.ctx.lang] = str(options["--text"])
        spec["text"] = {k: v for k, v in texts.items() if v.strip()}
        if "--at" in options:
            words = list(options["--at"])
            at, used = self._when(call, words, tz)
            if used != len(words):
                raise UsageError(Msg.of("publishing.option_one_word", option="--at",
                                        extra=words[used]))
            spec["at"] = at
        if "--tz" in options:
            spec["timezone"] = str(options["--tz"])
        repeat = dict(spec.get("repeat") or {})
        if "--repeat" in options:
            every = EVERY.get(str(options["--repeat"]).lower())
            if every is None:
                raise UsageError(Msg.of("publishing.bad_repeat", value=options["--repeat"]))
            repeat = {"every": every}
        if "--cron" in options:
            repeat = {"cron": " ".join(options["--cron"])}
        if "--days" in options:
            try:
                repeat = {**repeat, "every": "week", "days": parse_days(str(options["--days"]))}
            except ValueError as exc:
                raise UsageError(Msg.of("publishing.bad_days", value=options["--days"],
                                        why=str(exc))) from None
        spec["repeat"] = repeat or None
        if options.get("--no-repeat"):
            spec["repeat"], spec["until"] = None, None
        if "--until" in options:
            spec["until"] = read_date(str(options["--until"]))
        for flag, key in (("--image", "image"), ("--link", "link")):
            if flag in options:
                spec[key] = str(options[flag]) or None
        for name in ("pin", "preview", "embed"):
            if options.get(f"--{name}"):
                spec[name] = True
            if options.get(f"--no-{name}"):
                spec[name] = False
        return spec

    def _spec(self, spec: dict[str, Any]) -> PostSpec:
        """The post, or the first problem in the reader's language."""
        if not any(str(t).strip() for t in (spec.get("text") or {}).values()):
            raise UsageError(Msg.of("publishing.no_text"))
        link = spec.get("link")
        if link and not str(link).startswith(("http://", "https://")):
            raise UsageError(Msg.of("publishing.bad_link", value=link))
        if spec.get("timezone"):
            try:
                zone(str(spec["timezone"]))
            except WhenError as exc:
                raise when_error(exc) from None
        until, at = spec.get("until"), spec.get("at")
        if until is not None and not spec.get("repeat"):
            raise UsageError(Msg.of("publishing.until_needs_repeat"))
        if until is not None and isinstance(at, datetime) and until < at.date():
            raise UsageError(Msg.of("publishing.until_before", until=str(until)))
        try:
            return PostSpec.model_validate(spec)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise UsageError(Msg.of("publishing.invalid", field=where or "-",
                                    why=str(first["msg"]))) from None

    # -- the subcommands -------------------------------------------------------------------

    async def schedule_post(self, call: CommandCall, args: str) -> list[Action | Decision]:
        """`!post schedule <when> <#channel|@brand|here> <text> [--en …] [--fr …] [options]`."""
        words = Words.of(args)
        if not len(words):
            raise UsageError(Msg.of("publishing.usage_schedule", prefix=call.prefix))
        tz = self.settings_of(call.community).timezone
        end = moment_words(words, 0)
        at, used = self._when(call, words.words(0, end), tz)
        if used >= len(words):
            raise UsageError(Msg.of("publishing.no_target", prefix=call.prefix))
        target = self._target(call, words.word(used))
        extra: list[Target] = []
        main, options = read_options(words, used + 1)
        if "--to" in options:
            extra = [self._target(call, str(options["--to"]))]
        lang = call.ctx.lang
        if f"--{lang}" in options:  # the text before the options is in the other language
            lang = next(other for other in ("fr", "en") if other != lang)
        base: dict[str, Any] = {"text": {lang: main} if main.strip() else {},
                                "targets": [target, *extra], "at": at}
        spec = self._spec(self._apply(call, base, options, tz))
        now = self.ctx.services.clock.now()
        post_id = await self.posts.next_number()
        await self.posts.put(post_id, "chat", call.community, spec, call.invoker.id, now)
        row = await self.posts.get(post_id)
        assert row is not None
        job = self.arm(row, now)
        if job is None:
            raise UsageError(Msg.of("publishing.never"))
        return [job, call.reply("publishing.scheduled", post=post_id,
                                at=local_text(job.at.astimezone(self.zone_of(spec, row.home))),
                                targets=self._targets_text(row), prefix=call.prefix)]

    async def edit_post(self, call: CommandCall, row: PostRow, args: str
                        ) -> list[Action | Decision]:
        """`!post edit <id> [--at …] [--text|--fr|--en …] [--repeat …] [--pin] …`."""
        words = Words.of(args)
        main, options = read_options(words, 0)
        if main.strip():
            options.setdefault("--text", main)
        if not options:
            raise UsageError(Msg.of("publishing.usage_edit", prefix=call.prefix))
        tz = row.spec.timezone or self.settings_of(row.home).timezone
        base = row.spec.model_dump(exclude_none=True)
        base["targets"] = [t.model_dump(exclude_none=True) for t in row.spec.targets]
        if "--to" in options:
            base["targets"] = [*base["targets"], self._target(call, str(options["--to"]))]
        spec = self._spec(self._apply(call, base, options, tz))
        now = self.ctx.services.clock.now()
        await self.posts.put(row.id, "chat", row.home, spec, row.created_by, now)
        fresh = await self.posts.get(row.id)
        assert fresh is not None
        job = self.arm(fresh, now)
        if job is None:
            await self.posts.set_status(row.id, DONE, now)
            return [Cancel(key=due_key(row.id)), call.reply("publishing.edited_over",
                                                            post=row.id)]
        return [job, call.reply("publishing.edited", post=row.id, at=local_text(
            job.at.astimezone(self.zone_of(spec, row.home))))]

    async def post_now(self, call: CommandCall, row: PostRow) -> list[Action | Decision]:
        """Send the post now in every target (an extra time; the series keeps its own)."""
        now = self.ctx.services.clock.now()
        occurrence = f"{to_text(now)}!now"
        jobs: list[Action | Decision] = [self.send_job(row, occurrence, c, ch, now)
                                         for c, ch in self.targets(row.spec)]
        jobs.append(call.reply("publishing.sending_now", post=row.id, count=len(jobs)))
        return jobs

    async def list_posts(self, call: CommandCall) -> Action:
        """Active posts this community manages or receives, with their next time."""
        now = self.ctx.services.clock.now()
        lines = []
        for row in await self.posts.all(ACTIVE):
            places = {c for c, _ in self.targets(row.spec)}
            if row.home != call.community and call.community not in places:
                continue
            at = self.next_time(row, now)
            when = local_text(at.astimezone(self.zone_of(row.spec, row.home))) if at else "-"
            repeat = row.spec.repeat.describe() if row.spec.repeat else "1×"
            first = next(iter(row.spec.text.values())).strip().splitlines()[0][:60]
            lines.append(f"{row.id} · {when} · {repeat} · {self._targets_text(row)} · "
                         f"{row.source} · {first}")
        if not lines:
            return call.reply("publishing.none")
        return call.reply("publishing.list", posts="\n".join(lines))

    async def preview(self, call: CommandCall, row: PostRow) -> str:
        """The post as each target will show it (its markup as sent), and its next times."""
        catalog = self.ctx.services.catalog
        lang = call.ctx.lang
        now = self.ctx.services.clock.now()
        tz = self.zone_of(row.spec, row.home)
        times, after = [], now
        for _ in range(3):
            at = self.next_time(row, after)
            if at is None:
                break
            times.append(local_text(at.astimezone(tz)))
            after = at
        lines = [catalog.render("publishing.show_head", lang, {
            "post": row.id, "source": row.source, "home": row.home, "status": row.status,
            "next": ", ".join(times) or "-",
            "repeat": row.spec.repeat.describe() if row.spec.repeat else "1×",
            "until": str(row.spec.until or "-"), "pin": "✓" if row.spec.pin else "-",
            "preview": "✓" if row.spec.preview else "-"})]
        for community, channel in self.targets(row.spec):
            shown = self.rendered(row.spec, community, channel)
            target_lang = self.ctx.rules.community(community).language
            lines.append(catalog.render("publishing.show_target", lang, {
                "channel": channel, "platform": shown.platform, "language": target_lang,
                "markup": shown.markup, "parts": len(shown.parts)}))
            for number, part in enumerate(shown.parts, 1):
                head = f"[{number}/{len(shown.parts)}] " if len(shown.parts) > 1 else ""
                lines.append(head + (part if len(part) <= 600 else part[:600] + " …"))
            if row.spec.image:
                lines.append(f"🖼 {row.spec.image}")
        for sent in await self.posts.history(row.id, 5):
            lines.append(catalog.render("publishing.show_sent", lang, {
                "at": sent["occurrence"], "channel": sent["channel"], "status": sent["status"],
                "detail": sent["detail"] or sent["message_id"] or ""}))
        return "\n".join(lines)

    # -- helpers ---------------------------------------------------------------------------

    def _targets_text(self, row: PostRow) -> str:
        return ", ".join(t.as_text() for t in row.spec.targets)

    async def _visible(self, call: CommandCall, args: str) -> PostRow:
        """The post named first in `args`, if this community manages or receives it."""
        words = args.split()
        if not words:
            raise UsageError(Msg.of("publishing.usage", prefix=call.prefix))
        row = await self.posts.get(words[0].lstrip("#"))
        if row is not None and (row.home == call.community or call.community in
                                {c for c, _ in self.targets(row.spec)}):
            return row
        raise UsageError(Msg.of("publishing.unknown", post=words[0]))

    def _editable(self, call: CommandCall, row: PostRow) -> None:
        """Only the home community's CMs change a chat post; file posts live in the file."""
        if row.source == "file":
            raise UsageError(Msg.of("publishing.in_file", post=row.id))
        if row.home != call.community:
            raise UsageError(Msg.of("publishing.not_home", post=row.id, home=row.home))
        if row.status != ACTIVE:
            raise UsageError(Msg.of("publishing.not_active", post=row.id, status=row.status))

