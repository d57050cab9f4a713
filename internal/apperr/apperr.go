// Package apperr is the one error type ParkOS hands across package boundaries: a stable code
// that maps to an HTTP status in one place, a bilingual message, and per-field details.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable, machine-readable error class. Clients may switch on it.
type Code string

const (
	NotFound        Code = "not_found"
	Invalid         Code = "invalid"         // a well-formed request whose values break a rule
	BadRequest      Code = "bad_request"     // a request that cannot be read at all
	Conflict        Code = "conflict"        // the request collides with existing data
	Unauthenticated Code = "unauthenticated" // no or bad credentials
	Forbidden       Code = "forbidden"       // in scope, but the role may not do this
	TooLarge        Code = "payload_too_large"
	RateLimited     Code = "rate_limited"
	NotAllowed      Code = "method_not_allowed" // the path exists, not with this method
	Unavailable     Code = "unavailable"        // the service cannot answer yet (database incomplete)
	Internal        Code = "internal"
)

// FieldError names one input field and what is wrong with it, in both languages.
type FieldError struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

// Error is a ParkOS error. MessageZh/MessageEn are safe to show to users.
type Error struct {
	Code      Code
	MessageZh string
	MessageEn string
	Fields    []FieldError
	cause     error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.MessageEn, e.cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.MessageEn)
}

func (e *Error) Unwrap() error { return e.cause }

// New makes an error with a bilingual message.
func New(code Code, zh, en string) *Error {
	return &Error{Code: code, MessageZh: zh, MessageEn: en}
}

// Wrap keeps the cause for logs while users only ever see the message.
func Wrap(code Code, cause error, zh, en string) *Error {
	return &Error{Code: code, MessageZh: zh, MessageEn: en, cause: cause}
}

// ErrNotFound is the answer for anything missing or outside the caller's scope; the two are
// deliberately indistinguishable.
func ErrNotFound(entityZh, entityEn string) *Error {
	return New(NotFound, entityZh+"不存在", entityEn+" not found")
}

// CodeOf returns the code of err, or Internal for errors that are not ours.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as *Error when it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Fields collects field errors during validation.
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field, code, zh, en string) {
	*f = append(*f, FieldError{Field: field, Code: code, MessageZh: zh, MessageEn: en})
}

// Required records a missing required field.
func (f *Fields) Required(field string) {
	f.Add(field, "required", "必填项", "is required")
}

// Err returns an Invalid error listing the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, MessageZh: "输入有误，请检查标出的字段", MessageEn: "some fields are invalid", Fields: f}
}

// FieldProblem is an Invalid error about one field.
func FieldProblem(field, code, zh, en string) error {
	var f Fields
	f.Add(field, code, zh, en)
	return f.Err()
}

// WithField names the field the error is about, with the error's own messages.
func (e *Error) WithField(field, code string) *Error {
	e.Fields = append(e.Fields, FieldError{Field: field, Code: code, MessageZh: e.MessageZh, MessageEn: e.MessageEn})
	return e
}

// ErrForbidden is the answer to a caller who sees a record but whose role may not do this.
func ErrForbidden() *Error {
	return New(Forbidden, "您的角色无权执行此操作", "your role may not do this")
}

// UnchangedSince refuses (409) a change made to an older copy of a record: basedOn is the
// updated_at of the caller's copy, current the record's; saving would overwrite someone
// else's change. A zero basedOn says nothing about the copy and is not checked. The caller
// holds the record's lock, so the comparison holds until it commits.
func UnchangedSince(current, basedOn time.Time) error {
	if basedOn.IsZero() || basedOn.Equal(current) {
		return nil
	}
	return New(Conflict, "记录已被他人修改，请刷新后重试", "the record was changed by someone else meanwhile; reload and try again")
}
