"""The dashboard's HTTP side: aiohttp on the bot's own event loop, pages rendered on the server."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from aiohttp import web

from bot.i18n import LANGUAGES, pick_language
from bot.ratelimit import SlidingWindow
from bot.web.access import Person, allowed, person_for
from bot.web.settings import WebFile
from bot.web.tokens import LoginTokens, csrf_token

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["RUNNER", "SESSION_COOKIE", "Dashboard", "start_dashboard"]

log = logging.getLogger("vigie.web")
HERE = Path(__file__).parent
SESSION_COOKIE = "vigie_session"
LOGIN_COOKIE = "vigie_login"
LANG_COOKIE = "vigie_lang"
LOGIN_ATTEMPTS = 10
"""Login attempts per client address within LOGIN_WINDOW (and 10 times that for everyone)."""
LOGIN_WINDOW = timedelta(minutes=10)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
RUNNER: dict[str, Any] = {"access_log": None, "handle_signals": False}
"""How the server runs: aiohttp's access log is off (it would write login links); the
middleware logs each request with the token hidden."""
_SECRET_PATH = re.compile(r"^/login/[^/]+")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def shown_path(path: str) -> str:
    """A path as the log writes it: a login link's token is never written."""
    return _SECRET_PATH.sub("/login/…", path)


class Dashboard:
    """The web service: routes, security rules, start and stop with the bot."""

    def __init__(self, app: App, settings: WebFile) -> None:
        self.bot = app
        self.settings = settings
        self.tokens = LoginTokens(app.store, app.clock)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
            undefined=jinja2.StrictUndefined)
        self._attempts = SlidingWindow(LOGIN_ATTEMPTS, LOGIN_WINDOW)
        self._all_attempts = SlidingWindow(LOGIN_ATTEMPTS * 10, LOGIN_WINDOW)
        self._runner: web.AppRunner | None = None
        self.port = settings.port

    # -- the application -------------------------------------------------------------------

    def build(self) -> web.Application:
        """The aiohttp application with every route and middleware."""
        from bot.web import pages

        application = web.Application(middlewares=[self._headers, self._csrf],
                                      client_max_size=64 * 1024)
        application.add_routes([
            web.get("/", self._home),
            web.get("/login/{token}", self._login_form),
            web.post("/login/{token}", self._login),
            web.post("/logout", self._logout),
            web.static("/static", HERE / "static", append_version=False),
        ])
        pages.add_routes(application, self)
        return application

    async def start(self) -> None:
        """Listen on the configured address (127.0.0.1 unless told otherwise)."""
        self._runner = web.AppRunner(self.build(), **RUNNER)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("dashboard listening on %s:%s (links: %s)", self.settings.host, self.port,
                 self.settings.base_url)

    async def stop(self) -> None:
        """Stop listening; requests under way are finished first."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- middlewares -------------------------------------------------------------------------

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Security headers on every answer; one log line without secrets or query strings."""
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            self._secure(request, exc)
            raise
        self._secure(request, response)
        return response

    @staticmethod
    def _secure(request: web.Request, response: web.StreamResponse) -> None:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        log.info("%s %s %s", request.method, shown_path(request.path), response.status)

    @web.middleware
    async def _csrf(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Every state-changing request carries the session's CSRF token (login: its own)."""
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return await handler(request)
        form = await request.post()
        given = str(form.get("csrf", ""))
        if request.path.startswith("/login/"):
            expected = request.cookies.get(LOGIN_COOKIE, "")
        else:
            session = request.cookies.get(SESSION_COOKIE, "")
            expected = csrf_token(session) if session else ""
        if not expected or not given or not hmac.compare_digest(given, expected):
            return self.page(request, "message.html", status=403, title_key="web.csrf.title",
                             text_key="web.csrf.text")
        return await handler(request)

    # -- helpers used by the pages --------------------------------------------------------------

    def client(self, request: web.Request) -> str:
        """The client's address (from X-Forwarded-For only when the proxy is trusted)."""
        if self.settings.trust_proxy:
            forwarded = request.headers.get("X-Forwarded-For", "")
            if forwarded:
                return forwarded.split(",")[-1].strip()
        return request.remote or "?"

    def lang(self, request: web.Request, person: Person | None = None) -> str:
        """The reader's language: ?lang=, then their cookie, then their platform's, then the
        community's."""
        asked = request.query.get("lang") or request.cookies.get(LANG_COOKIE, "")
        if asked in LANGUAGES:
            return asked
        rules = self.bot.rulebook.current
        if person is not None:
            community = rules.effective(person.community).language
            return pick_language(person.user.language, community)
        return rules.fallback.language

    async def person(self, request: web.Request) -> Person | None:
        """The logged-in person with their role now, or None."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        grant = await self.tokens.session(token)
        if grant is None:
            return None
        adapter = self.bot.executor.adapter_for(grant.community)
        return await person_for(grant, self.bot.services,
                                adapter.lookup_member if adapter is not None else None)

    def allowed(self, person: Person, command: str) -> bool:
        """Whether the person may use the command this page stands for."""
        return allowed(person, command, self.bot.services)

    def t(self, lang: str) -> Callable[..., str]:
        """The catalog in one language, for templates."""
        catalog = self.bot.catalog

        def text(key: str, **params: Any) -> str:
            return catalog.render(key, lang, params)
        return text

    def page(self, request: web.Request, template: str, *, status: int = 200,
             person: Person | None = None, **context: Any) -> web.Response:
        """Render a template in the reader's language, with the session's CSRF token."""
        lang = self.lang(request, person)
        session = request.cookies.get(SESSION_COOKIE, "")
        body = self.templates.get_template(template).render(
            t=self.t(lang), lang=lang, person=person, path=request.path,
            csrf=csrf_token(session) if session and person is not None else "",
            community_name=self.community_name(person.community) if person else "",
            **context)
        response = web.Response(text=body, status=status, content_type="text/html",
                                charset="utf-8")
        asked = request.query.get("lang")
        if asked in LANGUAGES:
            self._cookie(response, LANG_COOKIE, asked, max_age=365 * 24 * 3600)
        return response

    def community_name(self, community: str) -> str:
        """The community's name from the rule file, else its id."""
        return self.bot.rulebook.current.effective(community).name or community

    def _cookie(self, response: web.StreamResponse, name: str, value: str, *,
                max_age: int | None = None) -> None:
        response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                            secure=self.settings.secure, samesite="Strict")

    # -- login and logout ---------------------------------------------------------------------

    async def _home(self, request: web.Request) -> web.StreamResponse:
        person = await self.person(request)
        if person is not None:
            raise web.HTTPSeeOther(f"/c/{person.community}/")
        return self.page(request, "message.html", status=200, title_key="web.login.needed",
                         text_key="web.login.how")

    def _limited(self, request: web.Request) -> bool:
        """Count a login attempt; True when this client (or everyone) tried too often."""
        now = self.bot.clock.now()
        mine = self._attempts.hit(self.client(request), now)
        everyone = self._all_attempts.hit("*", now)
        return not (mine and everyone)

    async def _login_form(self, request: web.Request) -> web.StreamResponse:
        """The link's landing page: a button, so a link preview cannot use the link up."""
        if self._limited(request):
            return self.page(request, "message.html", status=429, title_key="web.limited.title",
                             text_key="web.limited.text")
        nonce = secrets.token_urlsafe(24)
        response = self.page(request, "login.html", token=request.match_info["token"],
                             login_csrf=nonce)
        self._cookie(response, LOGIN_COOKIE, nonce, max_age=600)
        return response

    async def _login(self, request: web.Request) -> web.StreamResponse:
        """Redeem the link once; the role is checked now; a session cookie on success."""
        if self._limited(request):
            return self.page(request, "message.html", status=429, title_key="web.limited.title",
                             text_key="web.limited.text")
        grant = await self.tokens.redeem(request.match_info["token"])
        if grant is None:
            log.info("login refused: unknown, expired or used link from %s",
                     self.client(request))
            return self.page(request, "message.html", status=403,
                             title_key="web.link.bad_title", text_key="web.link.bad_text")
        adapter = self.bot.executor.adapter_for(grant.community)
        person = await person_for(grant, self.bot.services,
                                  adapter.lookup_member if adapter is not None else None)
        if not self.allowed(person, "dashboard"):
            log.info("login refused: %s is no longer allowed in %s", grant.user_id,
                     grant.community)
            return self.page(request, "message.html", status=403,
                             title_key="web.denied.title", text_key="web.denied.text")
        lifetime = timedelta(hours=self.settings.session_hours)
        session = await self.tokens.open_session(grant, lifetime)
        log.info("login: %s in %s", grant.user_id, grant.community)
        response = web.HTTPSeeOther(f"/c/{grant.community}/")
        self._cookie(response, SESSION_COOKIE, session, max_age=int(lifetime.total_seconds()))
        response.del_cookie(LOGIN_COOKIE, path="/")
        raise response

    async def _logout(self, request: web.Request) -> web.StreamResponse:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await self.tokens.close_session(token)
        response = web.HTTPSeeOther("/")
        response.del_cookie(SESSION_COOKIE, path="/")
        raise response


async def start_dashboard(app: App, environ: dict[str, str] | None = None) -> Dashboard | None:
    """Start the dashboard if the rule file or VIGIE_WEB_PORT enables it (ValueError: a bad
    VIGIE_WEB_PORT; OSError: the address is taken)."""
    from bot.web.settings import effective_web

    section = app.rulebook.current.top.get("web")
    settings = effective_web(section if isinstance(section, WebFile) else None, environ)
    if settings is None:
        return None
    dashboard = Dashboard(app, settings)
    await dashboard.start()
    return dashboard
