"""The dashboard's pages: overview, case search, one case; reason edit and pardon run the
`!reason` and `!pardon` commands themselves, as the logged-in person."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.answers import ANSWERS
from bot.cases import Case, case_from_row
from bot.clock import from_text, to_text
from bot.events import CommandInvoked, platform_of
from bot.web.access import Person
from bot.web.panels import Panel, PanelSource

if TYPE_CHECKING:
    from bot.web.server import Dashboard

__all__ = ["add_routes"]

PAGE_SIZE = 50
STATUSES = ("active", "expired", "voided", "failed", "done")
MAX_TEXT = 1000


def add_routes(application: web.Application, dash: Dashboard) -> None:
    """Register the community pages."""
    pages = _Pages(dash)
    application.add_routes([
        web.get("/c/{community}/", pages.overview),
        web.get("/c/{community}/chart/{plugin}.png", pages.chart),
        web.get("/c/{community}/cases", pages.cases),
        web.get(r"/c/{community}/cases/{number:\d{1,10}}", pages.case),
        web.post(r"/c/{community}/cases/{number:\d{1,10}}/reason", pages.reason),
        web.post(r"/c/{community}/cases/{number:\d{1,10}}/pardon", pages.pardon),
    ])


class _Pages:
    def __init__(self, dash: Dashboard) -> None:
        self.dash = dash
        self.bot = dash.bot

    async def _who(self, request: web.Request, command: str) -> Person:
        """The person, allowed to use `command` in the community of the URL; else an error page.

        Another community's URL reads as unknown: a CM of one community sees nothing of another.
        """
        person = await self.dash.person(request)
        if person is None:
            raise self._error(request, None, 401, "web.login.needed", "web.login.how")
        if request.match_info["community"] != person.community:
            raise self._error(request, person, 404, "web.missing.title", "web.missing.text")
        if not self.dash.allowed(person, command):
            raise self._error(request, person, 403, "web.denied.title", "web.denied.text")
        return person

    def _error(self, request: web.Request, person: Person | None, status: int, title: str,
               text: str) -> web.HTTPException:
        page = self.dash.page(request, "message.html", status=status, person=person,
                              title_key=title, text_key=text)
        error = web.HTTPException(text=page.text, content_type="text/html")
        error.set_status(status)
        return error

    def _panels(self, person: Person) -> list[PanelSource]:
        settings = self.bot.rulebook.current.effective(person.community, None, person.role,
                                                       person.user.id)
        sources: list[PanelSource] = []
        for plugin in self.bot.plugins:
            section = getattr(settings, plugin.name, None)
            if isinstance(plugin, PanelSource) and (section is None or section.enabled):
                sources.append(plugin)
        return sources

    # -- overview -------------------------------------------------------------------------

    async def overview(self, request: web.Request) -> web.StreamResponse:
        person = await self._who(request, "dashboard")
        lang = self.dash.lang(request, person)
        now = self.bot.clock.now()
        shown: list[tuple[str, Panel]] = []
        for source in self._panels(person):
            panel = await source.dashboard_panel(person.community, lang, now)
            if panel is not None:
                shown.append((source.name, panel))
        counts = await self.bot.store.fetch_all(
            "SELECT status, COUNT(*) AS n FROM cases WHERE community = :c GROUP BY status",
            {"c": person.community})
        return self.dash.page(request, "overview.html", person=person, panels=shown,
                              counts={str(r["status"]): int(r["n"]) for r in counts},
                              may_cases=self.dash.allowed(person, "cases"))

    async def chart(self, request: web.Request) -> web.StreamResponse:
        person = await self._who(request, "dashboard")
        lang = self.dash.lang(request, person)
        wanted = request.match_info["plugin"]
        for source in self._panels(person):
            if source.name == wanted:
                png = await source.dashboard_chart(person.community, lang, self.bot.clock.now())
                if png is not None:
                    response = web.Response(body=png, content_type="image/png")
                    return response
        raise self._error(request, person, 404, "web.missing.title", "web.missing.text")

    # -- cases ------------------------------------------------------------------------------

    async def cases(self, request: web.Request) -> web.StreamResponse:
        person = await self._who(request, "cases")
        query = {k: request.query.get(k, "").strip()[:100]
                 for k in ("member", "rule", "cm", "status", "since", "until")}
        problems: list[str] = []
        sql = ["SELECT * FROM cases WHERE community = :c"]
        params: dict[str, Any] = {"c": person.community}
        if query["member"]:
            sql.append("AND (LOWER(target_name) LIKE :member OR target_id = :member_id)")
            params["member"] = f"%{_like(query['member'].lstrip('@').lower())}%"
            params["member_id"] = query["member"]
        if query["rule"]:
            sql.append("AND author_id = :rule")
            params["rule"] = f"rule:{query['rule'].removeprefix('rule:')}"
        if query["cm"]:
            sql.append("AND author_id NOT LIKE 'rule:%' AND (LOWER(author_name) LIKE :cm"
                       " OR author_id = :cm_id)")
            params["cm"] = f"%{_like(query['cm'].lstrip('@').lower())}%"
            params["cm_id"] = query["cm"]
        for key, op in (("since", ">="), ("until", "<")):
            if query[key]:
                day = _day(query[key])
                if day is None:
                    problems.append(key)
                    continue
                if key == "until":
                    day += timedelta(days=1)
                sql.append(f"AND created_at {op} :{key}")
                params[key] = to_text(day)
        sql.append("ORDER BY created_at DESC, id DESC LIMIT :limit")
        params["limit"] = PAGE_SIZE * 4 if query["status"] else PAGE_SIZE
        rows = await self.bot.store.fetch_all(" ".join(sql), params)
        now = self.bot.clock.now()
        found = [(c, self._status(c, now)) for c in map(case_from_row, rows)]
        if query["status"]:
            found = [(c, s) for c, s in found if s == query["status"]]
        return self.dash.page(request, "cases.html", person=person, query=query,
                              found=found[:PAGE_SIZE], statuses=STATUSES, problems=problems,
                              when=_when)

    def _status(self, case: Case, now: datetime) -> str:
        """The status `!cases` shows (warnings expire after the community's warning_expiry)."""
        try:
            from plugins.moderation.render import status_of
        except ImportError:  # pragma: no cover - the moderation plugin ships with Vigie
            return case.status
        section = getattr(self.bot.rulebook.current.effective(case.community), "moderation",
                          None)
        expiry = getattr(section, "warning_expiry", None)
        if not isinstance(expiry, timedelta):
            return case.status
        return status_of(case, now, expiry)

    async def case(self, request: web.Request, *, answers: list[str] | None = None,
                   status: int = 200) -> web.StreamResponse:
        person = await self._who(request, "case")
        number = int(request.match_info["number"])
        found = await self.bot.services.cases.get(person.community, number)
        if found is None:
            raise self._error(request, person, 404, "web.missing.title", "web.missing.text")
        why = await self.bot.services.audit.for_event(person.community, found.event_id) \
            if found.event_id else []
        refs = [c for n in found.refs
                if (c := await self.bot.services.cases.get(person.community, n)) is not None]
        return self.dash.page(
            request, "case.html", status=status, person=person, case=found,
            state=self._status(found, self.bot.clock.now()), why=why, refs=refs, when=_when,
            answers=answers or [], may_reason=self.dash.allowed(person, "reason"),
            may_pardon=self.dash.allowed(person, "pardon"),
            duration=_duration(found.duration))

    # -- actions: the commands themselves --------------------------------------------------------

    async def reason(self, request: web.Request) -> web.StreamResponse:
        return await self._command(request, "reason", required=True)

    async def pardon(self, request: web.Request) -> web.StreamResponse:
        return await self._command(request, "pardon", required=False)

    async def _command(self, request: web.Request, name: str, *,
                       required: bool) -> web.StreamResponse:
        """Run `!name <number> <text>` as the person, through the dispatcher: the same
        permission checks, the same path, the same audit; its answer is shown on the page."""
        person = await self._who(request, name)
        form = await request.post()
        text = " ".join(str(form.get("text", "")).split())[:MAX_TEXT]
        number = request.match_info["number"]
        if required and not text:
            return await self.case(request, answers=[self.dash.t(
                self.dash.lang(request, person))("web.case.reason_empty")], status=400)
        event = CommandInvoked(
            id=f"web:{secrets.token_hex(8)}", ts=self.bot.clock.now(),
            community=person.community, channel=f"{platform_of(person.community)}:dashboard",
            author=person.user, name=name, args=f"{number} {text}".strip())
        answers: list[str] = []
        token = ANSWERS.set(answers)
        try:
            report = await self.bot.handle(event)
        finally:
            ANSWERS.reset(token)
        if report.errors:
            answers.append(self.dash.t(self.dash.lang(request, person))("web.case.failed"))
        return await self.case(request, answers=answers)


def _like(text: str) -> str:
    """A LIKE pattern's literal part: % and _ match themselves."""
    return text.replace("\\", "").replace("%", "").replace("_", "")


def _day(text: str) -> datetime | None:
    """A YYYY-MM-DD day (UTC midnight), or None."""
    try:
        return from_text(f"{datetime.strptime(text, '%Y-%m-%d'):%Y-%m-%dT00:00:00}Z")
    except ValueError:
        return None


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "-"


def _duration(span: timedelta | None) -> str:
    if span is None:
        return "-"
    from bot.durations import format_duration
    return format_duration(span)
