package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/uploadstash"
)

// KeepUpload keeps an upload for the caller until expires, dropping those whose time is over
// and the caller's beyond the newest perUser.
func (s *Store) KeepUpload(ctx context.Context, sc identity.Scope, token string, up uploadstash.Upload, expires, now time.Time, perUser int) error {
	return s.write(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `DELETE FROM upload_stash WHERE expires_at <= ?`, now); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO upload_stash (token, user_id, target, name, entity, data, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			token, sc.UserID, up.Target, up.Name, up.Entity, up.Data, expires); err != nil {
			return err
		}
		_, err := c.exec(ctx, `DELETE FROM upload_stash WHERE user_id = ? AND token NOT IN
			(SELECT token FROM upload_stash WHERE user_id = ? ORDER BY expires_at DESC, token LIMIT ?)`, sc.UserID, sc.UserID, perUser)
		return err
	})
}

// KeptUpload reads the caller's upload under token for target, unless its time is over.
func (s *Store) KeptUpload(ctx context.Context, sc identity.Scope, token, target string, now time.Time) (uploadstash.Upload, bool, error) {
	var up uploadstash.Upload
	err := s.read(ctx).queryRow(ctx, `SELECT target, name, entity, data FROM upload_stash
		WHERE token = ? AND user_id = ? AND target = ? AND expires_at > ?`, token, sc.UserID, target, now).
		Scan(&up.Target, &up.Name, &up.Entity, &up.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return up, false, nil
	}
	return up, err == nil, err
}

// DropUpload forgets the caller's upload under token.
func (s *Store) DropUpload(ctx context.Context, sc identity.Scope, token string) error {
	return s.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, `DELETE FROM upload_stash WHERE token = ? AND user_id = ?`, token, sc.UserID)
		return err
	})
}
