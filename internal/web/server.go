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
	"strings"
	"time"

	"github.com/parkos/parkos/internal/api"
	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/store/sqlstore"
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
	store   *sqlstore.Store
	log     *slog.Logger
	guard   *loginguard.Guard
	api     *api.Server
	pages   map[string]*template.Template
	assets  *assets
	uploads *uploads
}

// New builds the console and the API on one store and one login guard.
func New(store *sqlstore.Store, log *slog.Logger, guard *loginguard.Guard) (*Server, error) {
	s := &Server{store: store, log: log, guard: guard, api: api.New(store, log, guard), uploads: &uploads{files: map[string]upload{}}}
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
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.api.Mount(mux)
	mux.Handle("GET /static/", s.assets)
	s.routes(mux)
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			api.WriteError(w, r, s.log, apperr.New(apperr.Forbidden, "跨站请求被拒绝", "cross-origin request refused"))
			return
		}
		http.Error(w, i18n.T(s.langOf(r, identity.User{}), "error.cross_origin"), http.StatusForbidden)
	}))
	return api.Recover(s.log, api.AccessLog(s.log, securityHeaders(csrf.Handler(mux))))
}

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
			u, err := s.store.UserByToken(r.Context(), c.Value, SessionIdle)
			if err == nil {
				rq.user, rq.scope, rq.token = u, identity.ScopeOf(u).Via("ui"), c.Value
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
	status := http.StatusInternalServerError
	key := "error.internal"
	switch apperr.CodeOf(err) {
	case apperr.NotFound:
		status, key = http.StatusNotFound, "error.not_found"
	case apperr.Forbidden:
		status, key = http.StatusForbidden, "error.forbidden"
	case apperr.Invalid, apperr.BadRequest:
		status, key = http.StatusUnprocessableEntity, "error.invalid"
	case apperr.Conflict:
		status, key = http.StatusConflict, "error.conflict"
	case apperr.TooLarge:
		status, key = http.StatusRequestEntityTooLarge, "error.too_large"
	default:
		s.log.Error("page failed", "path", rq.r.URL.Path, "err", err)
	}
	detail := ""
	if e, ok := apperr.As(err); ok && status != http.StatusInternalServerError {
		detail = e.MessageZh
		if rq.lang == "en" {
			detail = e.MessageEn
		}
	}
	rq.w.WriteHeader(status)
	s.render(rq, "error", rq.t(key), errorPage{Status: status, Message: rq.t(key), Detail: detail})
}

type errorPage struct {
	Status  int
	Message string
	Detail  string
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
