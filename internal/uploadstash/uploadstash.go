// Package uploadstash keeps an uploaded file between its preview and the user's confirmation,
// for the user who uploaded it, for half an hour. It is kept in the database, so that the
// confirmation may reach any server process (§10). Nothing the file describes is written until
// the confirmation.
package uploadstash

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
)

// TTL is how long a kept upload waits for its confirmation.
const TTL = 30 * time.Minute

// PerUser is how many uploads a user may have waiting at once; keeping another drops the
// oldest, so that no one can fill the database with unconfirmed files.
const PerUser = 5

// Upload is a kept file: what it is for (a period's id, a park's id, or "onboarding"), its name,
// for onboarding what a CSV holds, and its bytes.
type Upload struct {
	Target, Name, Entity string
	Data                 []byte
}

// Store keeps uploads per user.
type Store interface {
	// KeepUpload keeps up under token for the caller until expires, drops every upload whose
	// time is over, and keeps only the caller's newest perUser.
	KeepUpload(ctx context.Context, sc identity.Scope, token string, up Upload, expires, now time.Time, perUser int) error
	// KeptUpload reads the caller's upload under token for target, if its time is not over.
	KeptUpload(ctx context.Context, sc identity.Scope, token, target string, now time.Time) (Upload, bool, error)
	// DropUpload forgets the caller's upload under token.
	DropUpload(ctx context.Context, sc identity.Scope, token string) error
}

// Service keeps and hands back uploads.
type Service struct {
	store Store
	clock civil.Clock
}

// NewService makes the service.
func NewService(store Store, clock civil.Clock) *Service { return &Service{store: store, clock: clock} }

// Keep stores up for the caller and returns the token that finds it again. A file name that is
// not text (invalid UTF-8, control characters) or longer than 255 bytes is refused.
func (s *Service) Keep(ctx context.Context, sc identity.Scope, up Upload) (string, error) {
	var f apperr.Fields
	if !isText(up.Name, 255) {
		f.Add("file", "invalid", "文件名须为不超过 255 字节的文本", "the file name must be text of at most 255 bytes")
	}
	if !isText(up.Entity, 64) {
		f.Add("entity", "invalid", "记录类型无效", "the kind of record is not valid")
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b)
	now := s.clock.Now()
	return token, s.store.KeepUpload(ctx, sc, token, up, now.Add(TTL), now, PerUser)
}

func isText(s string, maxBytes int) bool {
	if len(s) > maxBytes || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// Get hands back the caller's upload under token for target; another user's, another
// target's or an expired one is not found.
func (s *Service) Get(ctx context.Context, sc identity.Scope, token, target string) (Upload, error) {
	up, ok, err := s.store.KeptUpload(ctx, sc, token, target, s.clock.Now())
	if err == nil && !ok {
		err = apperr.ErrNotFound("上传的文件（已过期，请重新上传）", "upload (it expired; upload it again)")
	}
	return up, err
}

// Drop forgets the caller's upload under token once it has been applied.
func (s *Service) Drop(ctx context.Context, sc identity.Scope, token string) error {
	return s.store.DropUpload(ctx, sc, token)
}
