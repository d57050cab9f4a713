// Package api is the JSON API under /api/v1 (§10): handlers, authentication, problem
// responses and the OpenAPI document, all generated from one route table.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// SessionTTL is the absolute lifetime of an API session token.
const SessionTTL = 12 * time.Hour

// Server serves the API.
type Server struct {
	store  *sqlstore.Store
	log    *slog.Logger
	guard  *loginguard.Guard
	routes []route
	mux    *http.ServeMux
}

// New builds the API on a store. The login guard is shared with the web console, so that
// guessing through one channel counts against the other.
func New(store *sqlstore.Store, log *slog.Logger, guard *loginguard.Guard) *Server {
	s := &Server{store: store, log: log, guard: guard, mux: http.NewServeMux()}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, s.log, apperr.New(apperr.NotFound, "没有这个接口", "no such API route"))
	})
	return s
}

// Handler is the API with panic recovery and access logging around it.
func (s *Server) Handler() http.Handler { return Recover(s.log, AccessLog(s.log, s.mux)) }

// Mount adds the API routes to another mux (the web server's).
func (s *Server) Mount(mux *http.ServeMux) {
	mux.Handle("/api/", s.mux)
	mux.Handle("/healthz", s.mux)
	mux.Handle("/readyz", s.mux)
}

// Patterns lists "METHOD /path" for every route, for the OpenAPI completeness test.
func (s *Server) Patterns() []string {
	out := make([]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = rt.Method + " " + rt.Pattern
	}
	return out
}

// call is one request to a route handler.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	ctx   context.Context
	scope identity.Scope
	user  identity.User
	token string
	q     *httpin.Query
}

func (c *call) id() string { return c.r.PathValue("id") }

// decode reads the JSON body into dst with field-level errors.
func (c *call) decode(dst any) error {
	b, err := httpin.ReadBody(c.w, c.r)
	if err != nil {
		return err
	}
	return httpin.DecodeStrict(b, dst)
}

// GuardedLogin checks a password unless the account or address has failed too often, in
// which case it answers 429 without looking at the password. The attempt is counted before the
// hash is computed, and at most a few hashes run at once; beyond that the answer is a quick
// 503 with Retry-After, so a burst of sign-ins cannot exhaust memory.
func GuardedLogin(ctx context.Context, st *sqlstore.Store, guard *loginguard.Guard, w http.ResponseWriter, r *http.Request,
	username, password string) (identity.User, error) {
	attempt, wait, ok := guard.Reserve(username, guard.ClientAddr(r))
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return identity.User{}, apperr.New(apperr.RateLimited, "登录失败次数过多，请一分钟后再试",
			"too many failed sign-ins; try again in a minute")
	}
	var u identity.User
	var err error
	if !guard.Hash(func() { u, err = st.Authenticate(ctx, username, password) }) {
		attempt.Abandoned()
		w.Header().Set("Retry-After", "1")
		return identity.User{}, apperr.New(apperr.Unavailable, "登录请求过多，请稍后再试", "too many sign-ins at once; try again shortly")
	}
	if err == nil {
		attempt.Succeeded()
	} else if !apperr.Is(err, apperr.Unauthenticated) {
		attempt.Abandoned()
	}
	return u, err
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, ctx: r.Context(), q: httpin.NewQuery(r.URL.Query())}
		if !rt.Public {
			c.token = bearer(r)
			if c.token == "" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="parkos"`)
				WriteError(w, r, s.log, apperr.New(apperr.Unauthenticated, "请先登录（Authorization: Bearer 令牌）",
					"sign in first (Authorization: Bearer token)"))
				return
			}
			u, err := s.store.UserByToken(r.Context(), c.token, 0)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="parkos", error="invalid_token"`)
				WriteError(w, r, s.log, err)
				return
			}
			c.user, c.scope = u, identity.ScopeOf(u).Via("api")
		}
		body, err := rt.handle(c)
		if err != nil {
			WriteError(w, r, s.log, err)
			return
		}
		if f, ok := body.(file); ok {
			kind := f.kind
			if kind == "" {
				kind = rt.Download
			}
			w.Header().Set("Content-Type", kind)
			w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.name))
			_, _ = w.Write(f.data)
			return
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		writeJSON(w, status, body)
	})
}

// Recover turns a panic in any handler into a logged 500 problem; the server keeps serving.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				WriteError(w, r, log, apperr.New(apperr.Internal, "服务器内部错误，已记录", "internal error; it has been logged"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// AccessLog logs one line per request at debug level, and 5xx answers at warn.
func AccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		level := slog.LevelDebug
		if rec.status >= 500 {
			level = slog.LevelWarn
		}
		log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}
