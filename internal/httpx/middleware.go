package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/parkos/parkos/internal/apperr"
)

// Recover turns a panic in any handler into a logged 500 problem; the server keeps serving.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic in handler", "request_id", RequestIDOf(r.Context()), "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
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

// AccessLog gives every request an id (X-Request-Id, from a trusted proxy or made here) and
// logs one line per request when it is answered: id, user, route, status and duration, at info
// level, warn for 5xx answers. trusted says whether a request came through a trusted proxy.
func AccessLog(log *slog.Logger, trusted func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if InfoOf(r.Context()) != nil { // served already by an outer access log
			next.ServeHTTP(w, r)
			return
		}
		info := &RequestInfo{ID: requestID(r, trusted)}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		w.Header().Set(RequestIDHeader, info.ID)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelWarn
		}
		log.LogAttrs(r.Context(), level, "request", slog.String("request_id", info.ID), slog.String("user", info.User),
			slog.String("method", r.Method), slog.String("route", info.Route), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000))
	})
}
