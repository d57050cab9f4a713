// Package web is the browser console: server-rendered pages (html/template, htmx for partial
// updates), sessions in cookies, CSRF and security headers, in Chinese and English.
package web

import (
	"context"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/freshness"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/metrics"
)

// Session lifetimes: a console session ends after 2 hours without use or 12 hours after
// sign-in, whichever comes first.
const (
	SessionIdle     = 2 * time.Hour
	SessionAbsolute = 12 * time.Hour
	sessionCookie   = "parkos_session"
	langCookie      = "parkos_lang"
)

// Server is the console plus the API it sits beside.
type Server struct {
	svc    *app.Services
	clock  civil.Clock
	log    *slog.Logger
	guard  *loginguard.Guard
	api    interface{ Mount(*http.ServeMux) }
	pages  map[string]*template.Template
	assets *assets
	// metrics, when set, hears every request; metricsHere serves it at /metrics.
	metrics     *metrics.Metrics
	metricsHere bool
	// replicated: some reads go to a replica, so writing clients are marked to read the primary.
	replicated bool
}

// New builds the console on the services and the login guard it shares with the API, which
// it serves beside itself (api mounts the API's routes on the console's mux).
func New(svc *app.Services, log *slog.Logger, guard *loginguard.Guard, api interface{ Mount(*http.ServeMux) }) (*Server, error) {
	s := &Server{svc: svc, clock: svc.Clock, log: log, guard: guard, api: api}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(s.assets); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler serves everything: console, API, health checks and assets, behind panic recovery,
// cross-origin protection for every state-changing request, and security headers.
// concurrentReads is how many read requests run at once, the rest waiting their turn in order
// (at most a second): as many as the SQLite reader pool has connections (measured best on 2
// cores: p99 46 ms at 64 connections, against 128 ms with every request let in; PostgreSQL
// measured the same with this number).
var concurrentReads = max(4, 2*runtime.GOMAXPROCS(0))

func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.api.Mount(mux)
	mux.Handle("GET /static/", s.assets)
	s.routes(mux)
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			httpx.WriteError(w, r, s.log, apperr.New(apperr.Forbidden, "跨站请求被拒绝", "cross-origin request refused"))
			return
		}
		http.Error(w, i18n.T(s.langOf(r, identity.User{}), "error.cross_origin"), http.StatusForbidden)
	}))
	var routed http.Handler = httpx.Routed(mux)
	if s.replicated {
		routed = freshness.Track(routed)
	}
	var served http.Handler = httpx.Recover(s.log, httpx.FairReads(concurrentReads, time.Second, securityHeaders(csrf.Handler(routed))))
	if s.metrics != nil {
		if s.metricsHere {
			mux.Handle("GET /metrics", s.metrics.Handler())
		}
		served = s.metrics.Instrument(served)
	}
	return httpx.AccessLog(s.log, s.guard.FromTrustedProxy, served)
}

// WithMetrics counts and times every request into m, and serves m at /metrics on this
// handler (outside the login, for Prometheus) when here is true — else it is served on its own
// address.
func (s *Server) WithMetrics(m *metrics.Metrics, here bool) { s.metrics, s.metricsHere = m, here }

// ReadsFromReplica tells the server that lists, dashboards and exports are read from a replica
// (--db-replica), so that a client that writes reads its own writes from the primary.
func (s *Server) ReadsFromReplica() { s.replicated = true }

// securityHeaders: no inline script anywhere, no framing, no MIME sniffing.
func securityHeaders(next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// request is one console request: the signed-in user, their scope and language.
type request struct {
	srv    *Server
	w      http.ResponseWriter
	r      *http.Request
	ctx    context.Context
	user   identity.User
	scope  identity.Scope
	lang   string
	token  string
	cache  map[string]string // names looked up during this request, by "kind:id"
	charts bool              // the page draws charts: load ECharts
}

func (rq *request) server() *Server { return rq.srv }

func (rq *request) t(key string, args ...any) string { return i18n.T(rq.lang, key, args...) }

// pick chooses between the two languages of a bilingual message.
func (rq *request) pick(zh, en string) string {
	if rq.lang == "en" {
		return en
	}
	return zh
}

// langOf picks the language: the user's setting, else the cookie, else Accept-Language.
func (s *Server) langOf(r *http.Request, u identity.User) string {
	if u.Locale != "" {
		return i18n.Normalize(u.Locale)
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return i18n.Normalize(c.Value)
	}
	return i18n.Normalize(r.Header.Get("Accept-Language"))
}

// secure reports whether the browser reached us over TLS (directly or via a proxy that says so),
// so that cookies get the Secure flag.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(SessionAbsolute.Seconds())})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// handler is a console page or action. Returning an error renders the error page.
type handler func(rq *request) error

// page wraps a handler that needs a signed-in user; anonymous requests go to the login page
// and come back afterwards.
func (s *Server) page(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := &request{srv: s, w: w, r: r, ctx: r.Context(), cache: map[string]string{}}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := s.svc.Accounts.UserByToken(r.Context(), c.Value, SessionIdle)
			if err == nil {
				rq.user, rq.scope, rq.token = u, identity.ScopeOf(u).Via("ui"), c.Value
				httpx.SetUser(r.Context(), u.Username)
			} else if !apperr.Is(err, apperr.Unauthenticated) {
				s.fail(rq, err)
				return
			}
		}
		if rq.user.ID == "" {
			clearSessionCookie(w, r)
			target := "/login?next=" + url.QueryEscape(r.URL.RequestURI())
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", target)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		rq.lang = s.langOf(r, rq.user)
		if err := h(rq); err != nil {
			s.fail(rq, err)
		}
	})
}

// listPage is a page of a list, a dashboard or an export: it may read from a replica
// (--db-replica) unless its client has just written. Forms and records use page.
func (s *Server) listPage(h handler) http.Handler {
	return s.page(func(rq *request) error {
		if freshness.Tolerant(rq.r) {
			rq.ctx = freshness.MayLag(rq.ctx)
		}
		return h(rq)
	})
}

// public wraps a handler that works without signing in (the login page).
func (s *Server) public(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := &request{srv: s, w: w, r: r, ctx: r.Context(), lang: s.langOf(r, identity.User{}), cache: map[string]string{}}
		if err := h(rq); err != nil {
			s.fail(rq, err)
		}
	})
}

// fail renders an error page with the right status; internal details stay in the log.
func (s *Server) fail(rq *request, err error) {
	status := httpx.StatusOf(err)
	key, known := errorKeys[apperr.CodeOf(err)]
	if !known {
		status, key = http.StatusInternalServerError, "error.internal"
		s.log.Error("page failed", "request_id", httpx.RequestIDOf(rq.ctx), "path", rq.r.URL.Path, "err", err)
	}
	page := errorPage{Status: status, Message: rq.t(key), RequestID: httpx.RequestIDOf(rq.ctx)}
	if e, ok := apperr.As(err); ok && status != http.StatusInternalServerError {
		page.Detail = e.MessageZh
		if rq.lang == "en" {
			page.Detail = e.MessageEn
		}
		for _, f := range e.Fields {
			msg := f.MessageZh
			if rq.lang == "en" {
				msg = f.MessageEn
			}
			page.Fields = append(page.Fields, f.Field+": "+msg)
		}
	}
	rq.w.WriteHeader(status)
	s.render(rq, "error", rq.t(key), page)
}

// errorKeys names the message of each error code a page can fail with; any other error is
// internal and logged.
var errorKeys = map[apperr.Code]string{
	apperr.NotFound:   "error.not_found",
	apperr.Forbidden:  "error.forbidden",
	apperr.Invalid:    "error.invalid",
	apperr.BadRequest: "error.invalid",
	apperr.Conflict:   "error.conflict",
	apperr.TooLarge:   "error.too_large",
}

type errorPage struct {
	Status  int
	Message string
	Detail  string
	Fields  []string // "field: message", for input that was refused
	// RequestID names the request in the server's log, for the user to quote.
	RequestID string
}

// redirect after a successful POST (303 so the browser GETs the target).
func (rq *request) redirect(target string) error {
	if rq.r.Header.Get("HX-Request") == "true" {
		rq.w.Header().Set("HX-Redirect", target)
		return nil
	}
	http.Redirect(rq.w, rq.r, target, http.StatusSeeOther)
	return nil
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// staticFS returns the embedded static folder.
func staticFS() fs.FS {
	sub, _ := fs.Sub(embedded, "static")
	return sub
}

// contextT shortens store function signatures written inline.
type contextT = context.Context

var shanghai = civil.Shanghai
