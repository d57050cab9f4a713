package sqlstore

import (
	"context"
	"database/sql"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/idempotency"
)

// ClaimIdempotencyKey records that a user's request with key has started, or returns what the
// key was first used for. A key older than idempotency.TTL is forgotten and claimed anew.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, userID, key, request, bodyHash string) (idempotency.Claim, error) {
	var out idempotency.Claim
	err := s.write(ctx, func(c conn) error {
		now := s.now()
		// Expired keys go, whoever's they are (kept answers hold records, and the table must not
		// grow for ever); so does this key's claim if it was abandoned without an answer.
		if _, err := c.exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, now.Add(-idempotency.TTL)); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL AND created_at < ?`,
			userID, key, now.Add(-idempotency.Abandoned)); err != nil {
			return err
		}
		res, err := c.exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request, body_hash, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, key) DO NOTHING`, userID, key, request, bodyHash, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			out = idempotency.Claim{Mine: true, Request: request, BodyHash: bodyHash}
			return err
		}
		var status sql.NullInt64
		var response sql.NullString
		err = c.queryRow(ctx, `SELECT request, body_hash, status, response FROM idempotency_keys
			WHERE user_id = ? AND key = ?`, userID, key).Scan(&out.Request, &out.BodyHash, &status, &response)
		out.Status, out.Response = int(status.Int64), response.String
		return err
	})
	return out, err
}

// SaveIdempotentResponse keeps the answer of the request that claimed key.
func (s *Store) SaveIdempotentResponse(ctx context.Context, userID, key string, status int, response []byte) error {
	return s.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, `UPDATE idempotency_keys SET status = ?, response = ? WHERE user_id = ? AND key = ? AND status IS NULL`,
			status, string(response), userID, key)
		return changedOne(res, err, apperr.New(apperr.Conflict, "幂等键已有结果", "the idempotency key already has an answer"))
	})
}

// ReleaseIdempotencyKey forgets a claim whose request failed, so that it may be retried.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, userID, key string) error {
	return s.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL`, userID, key)
		return err
	})
}
