// Package api is the JSON API under /api/v1 (§10): handlers, authentication, problem
// responses and the OpenAPI document, all generated from one route table.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/freshness"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/idempotency"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
)

// SessionTTL is the absolute lifetime of an API session token.
const SessionTTL = 12 * time.Hour

// Server serves the API.
type Server struct {
	svc    *app.Services
	clock  civil.Clock
	log    *slog.Logger
	guard  *loginguard.Guard
	routes []route
	mux    *http.ServeMux
}

// New builds the API on the services. The login guard is shared with the web console, so that
// guessing through one channel counts against the other.
func New(svc *app.Services, log *slog.Logger, guard *loginguard.Guard) *Server {
	s := &Server{svc: svc, clock: svc.Clock, log: log, guard: guard, mux: http.NewServeMux()}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	// A path the API has, asked with another method, is 405 naming the methods it takes.
	paths, methods := http.NewServeMux(), map[string][]string{}
	for _, rt := range s.routes {
		if methods[rt.Pattern] == nil {
			paths.Handle(rt.Pattern, http.NotFoundHandler())
		}
		methods[rt.Pattern] = append(methods[rt.Pattern], rt.Method)
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := paths.Handler(r); pattern != "" {
			w.Header().Set("Allow", strings.Join(methods[pattern], ", "))
			httpx.WriteError(w, r, s.log, apperr.New(apperr.NotAllowed, "该接口不支持 "+r.Method+" 请求",
				"this route does not take "+r.Method))
			return
		}
		httpx.WriteError(w, r, s.log, apperr.New(apperr.NotFound, "没有这个接口", "no such API route"))
	})
	return s
}

// Handler is the API with access logging and panic recovery around it.
func (s *Server) Handler() http.Handler {
	return httpx.AccessLog(s.log, s.guard.FromTrustedProxy, httpx.Recover(s.log, httpx.Routed(s.mux)))
}

// Mount adds the API routes to another mux (the web server's).
func (s *Server) Mount(mux *http.ServeMux) {
	routed := httpx.Routed(s.mux)
	for _, prefix := range []string{"/api/", "/healthz", "/readyz", "/calendar/"} {
		mux.Handle(prefix, routed)
	}
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

// decodeOptional decodes a body a route may go without: none leaves dst as it is.
func (c *call) decodeOptional(dst any) error {
	b, err := httpin.ReadBody(c.w, c.r)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return err
	}
	return httpin.DecodeStrict(b, dst)
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
				httpx.WriteError(w, r, s.log, apperr.New(apperr.Unauthenticated, "请先登录（Authorization: Bearer 令牌）",
					"sign in first (Authorization: Bearer token)"))
				return
			}
			u, err := s.svc.Accounts.UserByToken(r.Context(), c.token, 0)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="parkos", error="invalid_token"`)
				httpx.WriteError(w, r, s.log, err)
				return
			}
			c.user, c.scope = u, identity.ScopeOf(u).Via("api")
			httpx.SetUser(r.Context(), u.Username)
			if !rt.Fresh && freshness.Tolerant(r) {
				c.ctx = freshness.MayLag(c.ctx)
			}
		}
		if _, sent := r.Header[idempotency.Header]; sent && creates(rt) {
			s.idempotent(c, rt, r.Header.Get(idempotency.Header))
			return
		}
		body, err := rt.handle(c)
		if err != nil {
			httpx.WriteError(w, r, s.log, err)
			return
		}
		if f, ok := body.(file); ok {
			kind := f.kind
			if kind == "" {
				kind, _, _ = strings.Cut(rt.Download, ",")
			}
			w.Header().Set("Content-Type", kind)
			httpx.Attachment(w, f.name)
			_, _ = w.Write(f.data)
			return
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		if err := httpx.WriteJSON(w, status, body); err != nil {
			httpx.WriteError(w, r, s.log, fmt.Errorf("encoding the answer to %s %s: %w", r.Method, rt.Pattern, err))
		}
	})
}

// creates reports whether a route creates a record: a signed-in POST answering 201. Such
// requests take an Idempotency-Key.
func creates(rt route) bool {
	return rt.Method == http.MethodPost && !rt.Public && rt.Status == http.StatusCreated
}

// takesIdempotencyKey reports whether a creating route keeps its answer for a replay: not when
// the answer holds a secret (a new API token), which is never stored.
func takesIdempotencyKey(rt route) bool { return creates(rt) && !rt.Secret }

// idempotent runs a creating request that carries an idempotency key: the first request with
// the key runs and its answer is kept; the same request again gets that answer, marked
// Idempotent-Replayed, and creates nothing; another request with the key is refused.
func (s *Server) idempotent(c *call, rt route, key string) {
	w, r := c.w, c.r
	fail := func(err error) { httpx.WriteError(w, r, s.log, err) }
	if !takesIdempotencyKey(rt) {
		var f apperr.Fields
		f.Add(idempotency.Header, "not_accepted", "该接口的结果含有只显示一次的密钥，不保存，因此不接受幂等键",
			"this route's answer holds a secret shown once, which is never stored, so it takes no idempotency key")
		fail(f.Err())
		return
	}
	if err := idempotency.CheckKey(key); err != nil {
		fail(err)
		return
	}
	raw, err := httpin.ReadBody(w, r)
	if err != nil {
		fail(err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	request, hash, keys := rt.Method+" "+r.URL.Path, idempotency.HashBody(raw), s.svc.Idempotency
	claim, err := keys.ClaimIdempotencyKey(c.ctx, c.user.ID, key, request, hash)
	if err != nil {
		fail(err)
		return
	}
	if !claim.Mine {
		if err := claim.Replay(request, hash); err != nil {
			fail(err)
			return
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(claim.Status)
		_, _ = io.WriteString(w, claim.Response)
		return
	}
	body, err := rt.handle(c)
	if err != nil {
		if relErr := keys.ReleaseIdempotencyKey(context.WithoutCancel(c.ctx), c.user.ID, key); relErr != nil {
			s.log.Error("idempotency: releasing a failed request's key", "err", relErr)
		}
		fail(err)
		return
	}
	answer, err := json.Marshal(body)
	if err != nil {
		fail(err)
		return
	}
	answer = append(answer, '\n')
	if err := keys.SaveIdempotentResponse(context.WithoutCancel(c.ctx), c.user.ID, key, rt.Status, answer); err != nil {
		s.log.Error("idempotency: keeping an answer", "err", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(rt.Status)
	_, _ = w.Write(answer)
}
