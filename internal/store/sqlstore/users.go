package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

const userCols = `u.id, u.username, u.display_name, u.email, u.role, u.enterprise_id, u.locale, u.disabled, u.created_at, u.updated_at`

func scanUser(r scanner) (identity.User, error) {
	var u identity.User
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Email, &u.Role, nullString{&u.EnterpriseID}, &u.Locale, &u.Disabled,
		&u.CreatedAt, &u.UpdatedAt)
	u.ParkIDs = []string{}
	return u, err
}

// userScope: admins see everyone, tenant administrators their colleagues, park managers the
// staff of their parks, everyone else only themselves.
func userScope(sc identity.Scope) (string, []any) {
	switch {
	case sc.Role == identity.Admin:
		return "1=1", nil
	case sc.Role == identity.EntAdmin:
		return "(u.enterprise_id = ? OR u.id = ?)", []any{sc.EnterpriseID, sc.UserID}
	case sc.Role == identity.ParkManager && len(sc.ParkIDs) > 0:
		return "(u.id = ? OR EXISTS (SELECT 1 FROM user_parks up WHERE up.user_id = u.id AND up.park_id IN (" +
			bindParams(len(sc.ParkIDs)) + ")))", append([]any{sc.UserID}, anySlice(sc.ParkIDs)...)
	}
	return "u.id = ?", []any{sc.UserID}
}

func userNotFound() error { return notFound("用户", "user") }

// ListUsers lists the users the caller may see.
func (s *Store) ListUsers(ctx context.Context, sc identity.Scope, f identity.UserFilter, req page.Request) (page.Page[identity.User], error) {
	l := listQuery[identity.User]{
		selectFrom: "SELECT " + userCols + " FROM users u",
		idExpr:     "u.id",
		sorts: []sortKey[identity.User]{
			{"username", "u.username", func(u identity.User) any { return u.Username }},
			{"role", "u.role", func(u identity.User) any { return string(u.Role) }},
			{"created_at", "u.created_at", func(u identity.User) any { return u.CreatedAt }},
		},
		scan: byValue(func(r *sql.Rows) (identity.User, error) { return scanUser(r) }),
		id:   func(u identity.User) string { return u.ID },
	}
	cond, args := userScope(sc)
	l.filter(cond, args...)
	if f.Q != "" {
		l.filter(`(lower(u.username) LIKE ? ESCAPE '\' OR lower(u.display_name) LIKE ? ESCAPE '\')`, likeContains(f.Q), likeContains(f.Q))
	}
	if f.Username != "" {
		l.filter("lower(u.username) = lower(?)", f.Username)
	}
	if f.Role != "" {
		l.filter("u.role = ?", f.Role)
	}
	if f.ParkID != "" {
		l.filter("EXISTS (SELECT 1 FROM user_parks fp WHERE fp.user_id = u.id AND fp.park_id = ?)", f.ParkID)
	}
	pg, err := l.run(ctx, s.read(ctx), req)
	if err != nil {
		return pg, err
	}
	return pg, s.attachUserParks(ctx, s.read(ctx), pg.Items)
}

func (s *Store) attachUserParks(ctx context.Context, c conn, us []identity.User) error {
	if len(us) == 0 {
		return nil
	}
	idx := map[string]int{}
	ids := make([]string, len(us))
	for i, u := range us {
		idx[u.ID], ids[i] = i, u.ID
	}
	return eachPair(ctx, c, `SELECT user_id, park_id FROM user_parks WHERE user_id IN (`+bindParams(len(ids))+`) ORDER BY park_id`,
		ids, func(id, p string) { us[idx[id]].ParkIDs = append(us[idx[id]].ParkIDs, p) })
}

// GetUser returns one user.
func (s *Store) GetUser(ctx context.Context, sc identity.Scope, id string) (identity.User, error) {
	return s.getUser(ctx, s.read(ctx), sc, id)
}

func (s *Store) getUser(ctx context.Context, c conn, sc identity.Scope, id string) (identity.User, error) {
	cond, args := userScope(sc)
	return s.userWhere(ctx, c, "u.id = ? AND "+cond, append([]any{id}, args...)...)
}

func (s *Store) userWhere(ctx context.Context, c conn, where string, args ...any) (identity.User, error) {
	u, err := scanUser(c.queryRow(ctx, "SELECT "+userCols+" FROM users u WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, userNotFound()
	}
	if err != nil {
		return u, err
	}
	us := []identity.User{u}
	err = s.attachUserParks(ctx, c, us)
	return us[0], err
}

func (s *Store) checkUserRefs(ctx context.Context, c conn, in identity.UserInput) error {
	if err := checkKnown(ctx, c, "parks", "id", "park_ids", in.ParkIDs); err != nil {
		return err
	}
	if in.EnterpriseID != "" {
		if err := checkKnown(ctx, c, "enterprises", "id", "enterprise_id", []string{in.EnterpriseID}); err != nil {
			return fieldErr("enterprise_id", "not_found", "企业不存在", "no such enterprise")
		}
	}
	return nil
}

func (s *Store) saveUserParks(ctx context.Context, c conn, id string, parks []string) error {
	if _, err := c.exec(ctx, `DELETE FROM user_parks WHERE user_id = ?`, id); err != nil {
		return err
	}
	for _, p := range dedupe(parks) {
		if _, err := c.exec(ctx, `INSERT INTO user_parks (user_id, park_id) VALUES (?, ?)`, id, p); err != nil {
			return err
		}
	}
	return nil
}

func duplicateUsername(s *Store, err error) error {
	return s.constraintError(err, "username", "用户名已被使用", "this username is taken")
}

// InsertUser writes a new account with a hashed password in the transaction of ctx; its parks
// and enterprise must exist.
func (s *Store) InsertUser(ctx context.Context, in identity.UserInput, hash string) (identity.User, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return identity.User{}, err
	}
	if err := s.checkUserRefs(ctx, c, in); err != nil {
		return identity.User{}, err
	}
	id, now := newID(), s.now()
	_, err = c.exec(ctx, `INSERT INTO users (id, username, display_name, email, password_hash, role, enterprise_id, locale,
		disabled, created_at, updated_at) VALUES (`+bindParams(11)+`)`, id, in.Username, in.DisplayName, in.Email, hash,
		in.Role, nullable(in.EnterpriseID), in.Locale, in.Disabled, now, now)
	if err := duplicateUsername(s, err); err != nil {
		return identity.User{}, err
	}
	if err := s.saveUserParks(ctx, c, id, in.ParkIDs); err != nil {
		return identity.User{}, err
	}
	return s.userWhere(ctx, c, "u.id = ?", id)
}

// LockUser locks an account's row and reads it in the caller's scope.
func (s *Store) LockUser(ctx context.Context, sc identity.Scope, id string) (identity.User, error) {
	return lockedRead(ctx, s, sc, "users", id, s.getUser)
}

// SaveUser writes a changed account in the transaction of ctx; with endSessions (disabled, or
// another role) every session of it ends.
func (s *Store) SaveUser(ctx context.Context, id string, in identity.UserInput, endSessions bool) (identity.User, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return identity.User{}, err
	}
	if err := s.checkUserRefs(ctx, c, in); err != nil {
		return identity.User{}, err
	}
	_, err = c.exec(ctx, `UPDATE users SET username = ?, display_name = ?, email = ?, role = ?, enterprise_id = ?, locale = ?,
		disabled = ?, updated_at = ? WHERE id = ?`, in.Username, in.DisplayName, in.Email, in.Role, nullable(in.EnterpriseID),
		in.Locale, in.Disabled, s.now(), id)
	if err := duplicateUsername(s, err); err != nil {
		return identity.User{}, err
	}
	if err := s.saveUserParks(ctx, c, id, in.ParkIDs); err != nil {
		return identity.User{}, err
	}
	if endSessions {
		if _, err := c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return identity.User{}, err
		}
	}
	if err := s.authChanged(ctx, c, "u:"+id); err != nil {
		return identity.User{}, err
	}
	return s.userWhere(ctx, c, "u.id = ?", id)
}

// DeleteUserRow removes an account with its sessions and tokens in the transaction of ctx.
func (s *Store) DeleteUserRow(ctx context.Context, id string) error {
	if err := s.deleteRow(ctx, "users", id); err != nil {
		return err
	}
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.authChanged(ctx, c, "u:"+id)
}

// SavePasswordHash sets an account's password hash in the transaction of ctx and ends every
// session of it.
func (s *Store) SavePasswordHash(ctx context.Context, id, hash string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, s.now(), id); err != nil {
		return err
	}
	if _, err = c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return err
	}
	return s.authChanged(ctx, c, "u:"+id)
}

var errBadLogin = apperr.New(apperr.Unauthenticated, "用户名或密码错误", "wrong username or password")

// Authenticate checks a username and password. It is the one user lookup without a scope,
// because it is how a scope is obtained.
func (s *Store) Authenticate(ctx context.Context, username, password string) (identity.User, error) {
	var id, hash string
	var disabled bool
	err := s.read(ctx).queryRow(ctx, `SELECT id, password_hash, disabled FROM users WHERE lower(username) = lower(?)`, username).
		Scan(&id, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		identity.CheckUnknownUser(password)
		return identity.User{}, errBadLogin
	}
	if err != nil {
		return identity.User{}, err
	}
	if !identity.CheckPassword(hash, password) || disabled {
		return identity.User{}, errBadLogin
	}
	return s.userWhere(ctx, s.read(ctx), "u.id = ?", id)
}

// CheckOwnPassword verifies the caller's current password before a change.
func (s *Store) CheckOwnPassword(ctx context.Context, sc identity.Scope, password string) error {
	var hash string
	if err := s.read(ctx).queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, sc.UserID).Scan(&hash); err != nil {
		return err
	}
	if !identity.CheckPassword(hash, password) {
		return fieldErr("current_password", "wrong", "当前密码不正确", "the current password is wrong")
	}
	return nil
}

// InsertSession starts a session of u for ttl in the transaction of ctx and returns its token.
func (s *Store) InsertSession(ctx context.Context, u identity.User, ttl time.Duration) (string, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return "", err
	}
	token, hash, err := identity.NewToken("ps_")
	if err != nil {
		return "", err
	}
	now := s.now()
	_, err = c.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?)`, hash, u.ID, now, now.Add(ttl), now)
	return token, err
}

// DeleteSession ends the session of token in the transaction of ctx and returns whose it was;
// ok is false when there is no such session.
func (s *Store) DeleteSession(ctx context.Context, token string) (u identity.User, ok bool, err error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return u, false, err
	}
	hash := identity.HashToken(token)
	if err := s.authChanged(ctx, c, "t:"+hash); err != nil {
		return u, false, err
	}
	var userID string
	err = c.queryRow(ctx, `SELECT user_id FROM sessions WHERE token_hash = ?`, hash).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, err
	}
	if _, err := c.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
		return u, false, err
	}
	u, err = s.userWhere(ctx, c, "u.id = ?", userID)
	return u, err == nil, err
}

// execNow runs one statement that needs no transaction of its own: in the transaction ctx
// carries, if any (on SQLite it holds the only writer connection), else on the writer pool.
func (s *Store) execNow(ctx context.Context, q string, args ...any) error {
	if c, ok := s.openTx(ctx); ok {
		_, err := c.exec(ctx, q, args...)
		return err
	}
	_, err := s.eng.Writer.ExecContext(ctx, s.sqlText(q), args...)
	return err
}

// UserByToken resolves a session or API token to an enabled user. idle bounds sessions
// since last use (0: no idle limit).
func (s *Store) UserByToken(ctx context.Context, token string, idle time.Duration) (identity.User, error) {
	hash, now := identity.HashToken(token), s.now()
	u, gen, ok := s.auth.get(hash, now, idle)
	if ok {
		return u, nil
	}
	var userID string
	var lastSeen time.Time
	err := s.read(ctx).queryRow(ctx, `SELECT user_id, last_seen_at FROM sessions WHERE token_hash = ? AND expires_at > ?`, hash, now).
		Scan(&userID, &lastSeen)
	switch {
	case err == nil:
		if idle > 0 && now.Sub(lastSeen) > idle {
			return identity.User{}, apperr.New(apperr.Unauthenticated, "会话已过期，请重新登录", "the session has expired; sign in again")
		}
		if now.Sub(lastSeen) > time.Minute { // touch at most once a minute, to keep reads cheap
			if err := s.execNow(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, now, hash); err != nil {
				return identity.User{}, err
			}
			lastSeen = now
		}
	case errors.Is(err, sql.ErrNoRows):
		err = s.read(ctx).queryRow(ctx, `SELECT user_id FROM api_tokens WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)`,
			hash, now).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return identity.User{}, apperr.New(apperr.Unauthenticated, "请先登录", "sign in first")
		}
		if err != nil {
			return identity.User{}, err
		}
		if err := s.execNow(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`, now, hash); err != nil {
			return identity.User{}, err
		}
	default:
		return identity.User{}, err
	}
	u, err = s.userWhere(ctx, s.read(ctx), "u.id = ? AND u.disabled = ?", userID, false)
	if apperr.Is(err, apperr.NotFound) {
		return u, apperr.New(apperr.Unauthenticated, "账号已停用", "the account is disabled")
	}
	if _, inTx := s.openTx(ctx); err == nil && !inTx { // a transaction's own writes may yet roll back
		s.auth.put(hash, u, now, lastSeen, gen)
	}
	return u, err
}

func formatTime(t sql.NullTime) string {
	if !t.Valid {
		return ""
	}
	return t.Time.UTC().Format(time.RFC3339)
}

// InsertToken writes a new API token of the caller's in the transaction of ctx and returns it
// with its secret, shown once.
func (s *Store) InsertToken(ctx context.Context, sc identity.Scope, name string, expires time.Time) (identity.APIToken, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return identity.APIToken{}, err
	}
	token, hash, err := identity.NewToken("pt_")
	if err != nil {
		return identity.APIToken{}, err
	}
	t := identity.APIToken{ID: newID(), UserID: sc.UserID, Name: name, Token: token}
	now := s.now()
	var exp any
	if !expires.IsZero() {
		exp = expires.UTC()
		t.ExpiresAt = expires.UTC().Format(time.RFC3339)
	}
	t.CreatedAt = now.Format(time.RFC3339)
	_, err = c.exec(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, sc.UserID, name, hash, now, exp)
	return t, err
}

// ListTokens lists the caller's own API tokens (never their secrets).
func (s *Store) ListTokens(ctx context.Context, sc identity.Scope) ([]identity.APIToken, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT id, user_id, name, created_at, expires_at, last_used_at FROM api_tokens
		WHERE user_id = ? ORDER BY created_at DESC, id`, sc.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []identity.APIToken{}
	for rows.Next() {
		var t identity.APIToken
		var created time.Time
		var exp, used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created, &exp, &used); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt = created.UTC().Format(time.RFC3339), formatTime(exp), formatTime(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteOwnToken removes one of the caller's tokens in the transaction of ctx; another's is
// not found.
func (s *Store) DeleteOwnToken(ctx context.Context, sc identity.Scope, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, id, sc.UserID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("令牌", "token")
	}
	return s.authChanged(ctx, c, "u:"+sc.UserID)
}
