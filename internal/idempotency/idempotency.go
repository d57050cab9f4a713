// Package idempotency makes a creating request safe to send twice (SPEC §10): the first request
// with a key claims it, its answer is kept for TTL, and the same request with the same key gets
// that answer again instead of creating a second record.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/parkos/parkos/internal/apperr"
)

// TTL is how long a key and its answer are kept.
const TTL = 24 * time.Hour

// Abandoned is how long a claim may stay without an answer before another request with the key
// takes it over: the process that made it died, or could not keep the answer.
const Abandoned = 2 * time.Minute

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// Claim is what a key holds when a request arrives with it.
type Claim struct {
	Mine     bool   // this request claimed the key: run it
	Request  string // METHOD path the key was first used for
	BodyHash string // of the body it was first used with
	Status   int    // the first answer's status; 0 while it runs
	Response string // the first answer's body
}

// Store keeps keys, per user, across instances and restarts.
type Store interface {
	ClaimIdempotencyKey(ctx context.Context, userID, key, request, bodyHash string) (Claim, error)
	SaveIdempotentResponse(ctx context.Context, userID, key string, status int, response []byte) error
	ReleaseIdempotencyKey(ctx context.Context, userID, key string) error
}

// CheckKey refuses a key that is empty, longer than 255 characters or not visible ASCII.
func CheckKey(key string) error {
	ok := key != "" && len(key) <= 255
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] > ' ' && key[i] < 0x7f
	}
	if ok {
		return nil
	}
	var f apperr.Fields
	f.Add(Header, "invalid", "幂等键须为 1 到 255 个可见 ASCII 字符", "the idempotency key must be 1 to 255 visible ASCII characters")
	return f.Err()
}

// HashBody is the fingerprint a key's body is compared by: of the JSON it holds, so that the
// same object sent again with other spacing or key order is the same request. A body that is
// not JSON is compared byte for byte.
func HashBody(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers keep their text: 1.10 and 1.1 stay different requests
	var v any
	if err := dec.Decode(&v); err == nil && dec.InputOffset() == int64(len(bytes.TrimRight(body, " \t\r\n"))) {
		if canonical, err := json.Marshal(v); err == nil {
			body = canonical
		}
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Replay says what to do with a claim the request did not make: answer again with the first
// answer, or refuse — the key was used for another request (422), or that request is still
// running (409, retry shortly).
func (c Claim) Replay(request, bodyHash string) error {
	switch {
	case c.Request != request || c.BodyHash != bodyHash:
		var f apperr.Fields
		f.Add(Header, "reused", "该幂等键已用于另一个请求", "this idempotency key was used for a different request")
		return f.Err()
	case c.Status == 0:
		return apperr.New(apperr.Conflict, "使用该幂等键的请求仍在处理中，请稍后重试",
			"a request with this idempotency key is still being processed; retry shortly")
	}
	return nil
}
