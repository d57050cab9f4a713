package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

// InsertNotifications writes notifications, in the transaction of ctx.
func (s *Store) InsertNotifications(ctx context.Context, ns []notify.Notification) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if _, err := c.exec(ctx, `INSERT INTO notifications (id, user_id, kind, title_zh, title_en, body_zh, body_en, link, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, n.ID, n.UserID, n.Kind, n.TitleZh, n.TitleEn, n.BodyZh, n.BodyEn, n.Link, n.CreatedAt); err != nil {
			return err
		}
	}
	return nil
}

// Enqueue puts deliveries in the outbox, due now, in the transaction of ctx.
func (s *Store) Enqueue(ctx context.Context, ds []notify.Delivery) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, d := range ds {
		if _, err := c.exec(ctx, `INSERT INTO outbox (id, channel, target, subject, body, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.Channel, d.Target, d.Subject, d.Body, now, now); err != nil {
			return err
		}
	}
	return nil
}

// EmailOptIns are the users among ids who chose e-mail for a kind.
func (s *Store) EmailOptIns(ctx context.Context, userIDs []string, kind string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(userIDs) == 0 {
		return out, nil
	}
	rows, err := s.read(ctx).query(ctx, `SELECT user_id FROM notification_preferences WHERE kind = ? AND channel = 'email' AND enabled
		AND user_id IN (`+bindParams(len(userIDs))+`)`, append([]any{kind}, anySlice(userIDs)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func scanWebhooks(rows *sql.Rows, err error) ([]notify.Webhook, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []notify.Webhook{}
	for rows.Next() {
		var w notify.Webhook
		if err := rows.Scan(&w.ID, &w.ParkID, &w.Kind, &w.URL, &w.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// ParkWebhooks are a park's robots (no scope: the notification center tells them).
func (s *Store) ParkWebhooks(ctx context.Context, parkID string) ([]notify.Webhook, error) {
	return scanWebhooks(s.read(ctx).query(ctx, `SELECT id, park_id, kind, url, created_at FROM park_webhooks WHERE park_id = ? ORDER BY created_at`, parkID))
}

// ListWebhooks are a park's robots, for staff of the park.
func (s *Store) ListWebhooks(ctx context.Context, sc identity.Scope, parkID string) ([]notify.Webhook, error) {
	if !sc.HasPark(parkID) {
		return nil, parkNotFound()
	}
	return s.ParkWebhooks(ctx, parkID)
}

// InsertWebhook adds a robot to a park the caller operates, in the transaction of ctx.
func (s *Store) InsertWebhook(ctx context.Context, sc identity.Scope, w notify.Webhook) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := s.checkParentPark(ctx, c, sc, w.ParkID); err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO park_webhooks (id, park_id, kind, url, created_at) VALUES (?, ?, ?, ?, ?)`, w.ID, w.ParkID, w.Kind, w.URL, w.CreatedAt)
	return err
}

// ListNotifications are a user's notifications, newest first.
func (s *Store) ListNotifications(ctx context.Context, userID string, req page.Request) (page.Page[notify.Notification], error) {
	l := listQuery[notify.Notification]{
		selectFrom: `SELECT id, user_id, kind, title_zh, title_en, body_zh, body_en, link, created_at, read_at FROM notifications n`,
		idExpr:     "n.id",
		sorts:      []sortKey[notify.Notification]{{"created_at", "n.created_at", func(n notify.Notification) any { return n.CreatedAt }}},
		scan: byValue(func(r *sql.Rows) (notify.Notification, error) {
			var n notify.Notification
			var read sql.NullTime
			err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.TitleZh, &n.TitleEn, &n.BodyZh, &n.BodyEn, &n.Link, &n.CreatedAt, &read)
			if read.Valid {
				n.ReadAt = &read.Time
			}
			return n, err
		}),
		id: func(n notify.Notification) string { return n.ID },
	}
	l.filter("n.user_id = ?", userID)
	if req.Sort == "" {
		req.Sort, req.Desc = "created_at", true
	}
	return l.run(ctx, s.read(ctx), req)
}

// UnreadCount is how many of a user's notifications are unread.
func (s *Store) UnreadCount(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.read(ctx).queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, err
}

// MarkRead marks one of a user's notifications read, in the transaction of ctx.
func (s *Store) MarkRead(ctx context.Context, userID, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?`, s.now(), id, userID)
	return changedOne(res, err, notFound("通知", "notification"))
}

// Preferences are a user's kept channel choices.
func (s *Store) Preferences(ctx context.Context, userID string) ([]notify.Preference, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT kind, channel, enabled FROM notification_preferences WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []notify.Preference
	for rows.Next() {
		var p notify.Preference
		if err := rows.Scan(&p.Kind, &p.Channel, &p.Enabled); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SavePreferences keeps a user's channel choices, in the transaction of ctx.
func (s *Store) SavePreferences(ctx context.Context, userID string, ps []notify.Preference) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if _, err := c.exec(ctx, `INSERT INTO notification_preferences (user_id, kind, channel, enabled) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = excluded.enabled`, userID, p.Kind, p.Channel, p.Enabled); err != nil {
			return err
		}
	}
	return nil
}

// Claim takes up to limit due deliveries for lease, in one statement: on PostgreSQL rows another
// process is claiming are skipped (SKIP LOCKED) rather than waited for, so any number of
// workers share the outbox and each delivery is taken by one of them.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]notify.Delivery, error) {
	due := `SELECT id FROM outbox WHERE sent_at IS NULL AND NOT given_up AND next_at <= ? ORDER BY next_at, id LIMIT ?`
	if s.eng.RowLocks {
		due += ` FOR UPDATE SKIP LOCKED`
	}
	var out []notify.Delivery
	err := s.write(ctx, func(c conn) error {
		out = nil
		rows, err := c.query(ctx, `UPDATE outbox SET next_at = ?, attempts = attempts + 1 WHERE id IN (`+due+`)
			RETURNING id, channel, target, subject, body, attempts`, now.Add(lease), now, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d notify.Delivery
			if err := rows.Scan(&d.ID, &d.Channel, &d.Target, &d.Subject, &d.Body, &d.Attempts); err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// Sent marks a delivery sent.
func (s *Store) Sent(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, `UPDATE outbox SET sent_at = ?, last_error = '' WHERE id = ?`, at, id)
		return err
	})
}

// Failed keeps a delivery's error and schedules it again at next, or gives it up when next is zero.
func (s *Store) Failed(ctx context.Context, id string, next time.Time, reason string) error {
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	return s.write(ctx, func(c conn) error {
		if next.IsZero() {
			_, err := c.exec(ctx, `UPDATE outbox SET given_up = ?, last_error = ? WHERE id = ?`, true, reason, id)
			return err
		}
		_, err := c.exec(ctx, `UPDATE outbox SET next_at = ?, last_error = ? WHERE id = ?`, next, reason, id)
		return err
	})
}

// UserNamed is the active user with a username, with its e-mail.
func (s *Store) UserNamed(ctx context.Context, username string) (notify.Recipient, error) {
	var r notify.Recipient
	err := s.read(ctx).queryRow(ctx, `SELECT id, email FROM users WHERE lower(username) = lower(?) AND NOT disabled`, username).Scan(&r.UserID, &r.Email)
	if err == sql.ErrNoRows {
		return notify.Recipient{}, nil
	}
	return r, err
}

// FacilityStaff are the active park managers and service staff of a park.
func (s *Store) FacilityStaff(ctx context.Context, parkID string) ([]notify.Recipient, error) {
	return s.recipients(ctx, `SELECT u.id, u.email FROM users u JOIN user_parks up ON up.user_id = u.id
		WHERE up.park_id = ? AND u.role IN ('park_manager', 'service') AND NOT u.disabled ORDER BY u.username`, parkID)
}

// AuthorityStaff are the active users of the park authority.
func (s *Store) AuthorityStaff(ctx context.Context) ([]notify.Recipient, error) {
	return s.recipients(ctx, `SELECT u.id, u.email FROM users u WHERE u.role = 'authority' AND NOT u.disabled ORDER BY u.username`)
}

// EnterpriseUsers are the active users of an enterprise.
func (s *Store) EnterpriseUsers(ctx context.Context, enterpriseID string) ([]notify.Recipient, error) {
	return s.recipients(ctx, `SELECT u.id, u.email FROM users u WHERE u.enterprise_id = ? AND u.role IN ('ent_admin', 'ent_member')
		AND NOT u.disabled ORDER BY u.username`, enterpriseID)
}

func (s *Store) recipients(ctx context.Context, q string, args ...any) ([]notify.Recipient, error) {
	rows, err := s.read(ctx).query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (notify.Recipient, error) {
		var rc notify.Recipient
		return rc, r.Scan(&rc.UserID, &rc.Email)
	})
}
