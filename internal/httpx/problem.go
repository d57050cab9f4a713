// Package httpx is the HTTP plumbing the API and the console share: one mapping from error
// code to status, problem documents, panic recovery and the access log.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/jsonw"
)

// statusOf is the one place error codes become HTTP statuses.
var statusOf = map[apperr.Code]int{
	apperr.NotFound:        http.StatusNotFound,
	apperr.Invalid:         http.StatusUnprocessableEntity,
	apperr.BadRequest:      http.StatusBadRequest,
	apperr.Conflict:        http.StatusConflict,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.RateLimited:     http.StatusTooManyRequests,
	apperr.NotAllowed:      http.StatusMethodNotAllowed,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.Internal:        http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem document with ParkOS's stable code and field list.
type Problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail"`
	Code     apperr.Code         `json:"code"`
	Instance string              `json:"instance"`
	Errors   []apperr.FieldError `json:"errors"`
	// RequestID names the request in the server's log (also the X-Request-Id header).
	RequestID string `json:"request_id,omitempty"`
}

// Status is the HTTP status of an error code; codes it does not know are 500.
func Status(c apperr.Code) int {
	if st, ok := statusOf[c]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// StatusOf is the HTTP status of an error: its code's, or 500 for errors that are not ours.
func StatusOf(err error) int { return Status(apperr.CodeOf(err)) }

var titles = map[apperr.Code][2]string{
	apperr.NotFound:        {"未找到", "Not found"},
	apperr.Invalid:         {"输入有误", "Invalid input"},
	apperr.BadRequest:      {"请求无法解析", "Bad request"},
	apperr.Conflict:        {"与现有数据冲突", "Conflict"},
	apperr.Unauthenticated: {"需要登录", "Authentication required"},
	apperr.Forbidden:       {"无权操作", "Forbidden"},
	apperr.TooLarge:        {"请求体过大", "Payload too large"},
	apperr.RateLimited:     {"请求过于频繁", "Too many requests"},
	apperr.NotAllowed:      {"不支持该请求方法", "Method not allowed"},
	apperr.Unavailable:     {"暂不可用", "Unavailable"},
	apperr.Internal:        {"服务器内部错误", "Internal error"},
}

// english reports whether the client asked for English first; Chinese is the default.
func english(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language"))), "en")
}

// WriteError answers err as a problem document. Errors that are not ours are logged and
// reach the client only as "internal error".
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e, ok := apperr.As(err)
	if !ok {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			e = apperr.New(apperr.TooLarge, "请求体超过上限", "the request body is larger than the limit")
		case r.Context().Err() != nil:
			// The request was cancelled (the server is shutting down or the client left):
			// nothing was committed, and the client may retry elsewhere.
			w.Header().Set("Retry-After", "1")
			e = apperr.New(apperr.Unavailable, "服务正在停止，请求已取消，请重试", "the server is stopping and cancelled the request; retry")
		default:
			log.Error("request failed", "request_id", RequestIDOf(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
			e = apperr.New(apperr.Internal, "服务器内部错误，已记录", "internal error; it has been logged")
		}
	}
	lang := 0
	if english(r) {
		lang = 1
	}
	p := Problem{
		Type:      "urn:parkos:problem:" + string(e.Code),
		Title:     titles[e.Code][lang],
		Status:    Status(e.Code),
		Detail:    e.MessageZh,
		Code:      e.Code,
		Instance:  r.URL.Path,
		Errors:    e.Fields,
		RequestID: RequestIDOf(r.Context()),
	}
	if lang == 1 {
		p.Detail = e.MessageEn
	}
	if p.Errors == nil {
		p.Errors = []apperr.FieldError{}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Language", map[int]string{0: "zh-CN", 1: "en"}[lang])
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteJSON answers body as JSON with status; a nil body sends the status alone. The body is
// encoded before anything is written, so a body that cannot be encoded (a NaN, say) comes back
// as an error for the caller to answer, never as a truncated 200.
func WriteJSON(w http.ResponseWriter, status int, body any) error {
	if body == nil {
		w.WriteHeader(status)
		return nil
	}
	buf := jsonBuffers.Get().(*[]byte)
	var b []byte
	if a, ok := body.(jsonw.Appender); ok && jsonw.Appends(body) {
		b = append(a.AppendJSON((*buf)[:0]), '\n') // as json.Encoder ends a value
	} else {
		out := bytes.NewBuffer((*buf)[:0])
		if err := json.NewEncoder(out).Encode(body); err != nil {
			jsonBuffers.Put(buf)
			return err
		}
		b = out.Bytes()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
	if cap(b) <= maxPooledJSON {
		*buf = b
		jsonBuffers.Put(buf)
	}
	return nil
}

// jsonBuffers hold the bytes of self-encoding bodies between requests; a buffer grown past
// maxPooledJSON (a 500-row page) is left to the collector rather than kept.
var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

const maxPooledJSON = 1 << 20
