package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// NewID is a fresh identifier, for services that name a record before writing it.
func (s *Store) NewID() string { return newID() }

// minuteOf is an instant as the minutes since 1970 UTC the bookings table keeps.
func minuteOf(t time.Time) int64 { return t.Unix() / 60 }

func instantOf(min int64) time.Time { return time.Unix(min*60, 0).In(civil.Shanghai) }

var resourceNotFound = func() error { return notFound("共享资源", "resource") }

// resourceScope: staff see their parks' resources; an enterprise's users those of its park and
// those shared with every park; the authority and administrators all.
func resourceScope(sc identity.Scope) (string, []any) {
	switch {
	case sc.AllParks():
		return "1=1", nil
	case sc.Role.IsOperator():
		return parkScope(sc, "r.park_id", false)
	case sc.Role.IsEnterprise():
		return "(r.shared OR r.park_id = (SELECT e.park_id FROM enterprises e WHERE e.id = ?))", []any{sc.EnterpriseID}
	}
	return "1=0", nil
}

const resourceCols = `r.id, r.park_id, p.name_zh, r.code, r.name, r.kind, r.description, r.rules_json, r.active, r.created_at, r.updated_at`

func scanResource(row scanner) (booking.Resource, error) {
	var r booking.Resource
	var rules string
	if err := row.Scan(&r.ID, &r.ParkID, &r.ParkName, &r.Code, &r.Name, &r.Kind, &r.Description, &rules, &r.Active, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(rules), &r.ResourceRules)
}

// ListResources lists the resources the caller may see, one park's when parkID is set.
func (s *Store) ListResources(ctx context.Context, sc identity.Scope, parkID string) ([]booking.Resource, error) {
	cond, args := resourceScope(sc)
	if parkID != "" {
		cond, args = cond+" AND r.park_id = ?", append(args, parkID)
	}
	rows, err := s.read(ctx).query(ctx, `SELECT `+resourceCols+` FROM facility_resources r JOIN parks p ON p.id = r.park_id
		WHERE `+cond+` ORDER BY p.code, r.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []booking.Resource{}
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) resource(ctx context.Context, c conn, sc identity.Scope, id string) (booking.Resource, error) {
	cond, args := resourceScope(sc)
	r, err := scanResource(c.queryRow(ctx, `SELECT `+resourceCols+` FROM facility_resources r JOIN parks p ON p.id = r.park_id
		WHERE r.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, resourceNotFound()
	}
	return r, err
}

// GetResource reads a resource in the caller's scope.
func (s *Store) GetResource(ctx context.Context, sc identity.Scope, id string) (booking.Resource, error) {
	return s.resource(ctx, s.read(ctx), sc, id)
}

// LockResource locks a resource's row and reads it in the caller's scope, in the transaction of
// ctx: bookings of one resource queue behind each other.
func (s *Store) LockResource(ctx context.Context, sc identity.Scope, id string) (booking.Resource, error) {
	return lockedRead(ctx, s, sc, "facility_resources", id, s.resource)
}

// InsertResource writes a resource of a park the caller operates, in the transaction of ctx.
func (s *Store) InsertResource(ctx context.Context, sc identity.Scope, r booking.Resource) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := s.checkParentPark(ctx, c, sc, r.ParkID); err != nil {
		return err
	}
	rules, err := json.Marshal(r.ResourceRules)
	if err != nil {
		return err
	}
	now := s.now()
	_, err = c.exec(ctx, `INSERT INTO facility_resources (id, park_id, code, name, kind, description, rules_json, shared, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.ParkID, r.Code, r.Name, r.Kind, r.Description, string(rules), r.SharedWithParks, r.Active, now, now)
	return s.constraintError(err, "code", "该园区已有此编码的资源", "the park already has a resource with this code")
}

// SaveResource writes a resource's rules, in the transaction of ctx.
func (s *Store) SaveResource(ctx context.Context, r booking.Resource) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	rules, err := json.Marshal(r.ResourceRules)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE facility_resources SET rules_json = ?, shared = ?, active = ?, updated_at = ? WHERE id = ?`,
		string(rules), r.SharedWithParks, r.Active, s.now(), r.ID)
	return err
}

// Holidays are a park's closed days from one day to another.
func (s *Store) Holidays(ctx context.Context, parkID string, from, to civil.Date) ([]civil.Date, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT day FROM park_holidays WHERE park_id = ? AND day >= ? AND day <= ? ORDER BY day`, parkID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []civil.Date{}
	for rows.Next() {
		var d civil.Date
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// InsertHoliday closes a park for a day, in the transaction of ctx.
func (s *Store) InsertHoliday(ctx context.Context, parkID string, h booking.Holiday) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO park_holidays (park_id, day, name) VALUES (?, ?, ?)`, parkID, h.Day, h.Name)
	return s.constraintError(err, "day", "该日已是休息日", "that day is closed already")
}

// holding is the statuses in which a booking holds its time.
const holding = `('requested', 'approved', 'checked_in')`

// Taken are the held times of a resource that overlap [from, to).
func (s *Store) Taken(ctx context.Context, resourceID string, from, to time.Time) ([][2]time.Time, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT start_min, end_min FROM bookings WHERE resource_id = ? AND status IN `+holding+`
		AND start_min < ? AND end_min > ? ORDER BY start_min`, resourceID, minuteOf(to), minuteOf(from))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]time.Time
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out = append(out, [2]time.Time{instantOf(a), instantOf(b)})
	}
	return out, rows.Err()
}

// BookedMinutes are the minutes an enterprise holds or used of a resource starting in [from, to).
func (s *Store) BookedMinutes(ctx context.Context, resourceID, enterpriseID string, from, to time.Time) (int, error) {
	var n sql.NullInt64
	err := s.read(ctx).queryRow(ctx, `SELECT SUM(end_min - start_min) FROM bookings WHERE resource_id = ? AND enterprise_id = ?
		AND status IN ('requested', 'approved', 'checked_in', 'completed', 'no_show') AND start_min >= ? AND start_min < ?`,
		resourceID, enterpriseID, minuteOf(from), minuteOf(to)).Scan(&n)
	return int(n.Int64), err
}

// InsertBooking writes a booking in the transaction of ctx; the database refuses one that
// overlaps a held booking of its resource (bookings_no_overlap), as a conflict.
func (s *Store) InsertBooking(ctx context.Context, b booking.Booking) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	_, err = c.exec(ctx, `INSERT INTO bookings (id, resource_id, park_id, enterprise_id, username, start_min, end_min, status, booker_kind,
		price, price_rule, series_id, note, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.ResourceID, b.ParkID, nullable(b.EnterpriseID), b.Username, minuteOf(b.Start), minuteOf(b.End), b.Status, b.BookerKind,
		b.Price, b.PriceRule, nullable(b.SeriesID), b.Note, b.Reason, now, now)
	if err != nil && s.eng.Excluded(err, "bookings_no_overlap") {
		return apperr.New(apperr.Conflict, "该时段已被预约", "this time is taken").WithField("start", "overlap")
	}
	return err
}

// bookingScope: an enterprise's users see its bookings; staff their parks'; the authority all.
func bookingScope(sc identity.Scope) (string, []any) {
	if sc.Role.IsEnterprise() {
		return "b.enterprise_id = ?", []any{sc.EnterpriseID}
	}
	return parkScope(sc, "b.park_id", false)
}

const bookingCols = `b.id, b.resource_id, r.name, b.park_id, COALESCE(b.enterprise_id, ''), COALESCE(e.name, ''), b.username, b.start_min, b.end_min, b.status,
	b.booker_kind, b.price, b.price_rule, COALESCE(b.series_id, ''), b.note, b.reason, b.created_at, b.updated_at`

const bookingFrom = ` FROM bookings b JOIN facility_resources r ON r.id = b.resource_id LEFT JOIN enterprises e ON e.id = b.enterprise_id`

func scanBooking(row scanner) (booking.Booking, error) {
	var b booking.Booking
	var start, end int64
	err := row.Scan(&b.ID, &b.ResourceID, &b.ResourceName, &b.ParkID, &b.EnterpriseID, &b.EnterpriseName, &b.Username, &start, &end, &b.Status,
		&b.BookerKind, &b.Price, &b.PriceRule, &b.SeriesID, &b.Note, &b.Reason, &b.CreatedAt, &b.UpdatedAt)
	b.Start, b.End = instantOf(start), instantOf(end)
	return b, err
}

func (s *Store) booking(ctx context.Context, c conn, sc identity.Scope, id string) (booking.Booking, error) {
	cond, args := bookingScope(sc)
	b, err := scanBooking(c.queryRow(ctx, `SELECT `+bookingCols+bookingFrom+` WHERE b.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("预约", "booking")
	}
	return b, err
}

// GetBooking reads a booking in the caller's scope.
func (s *Store) GetBooking(ctx context.Context, sc identity.Scope, id string) (booking.Booking, error) {
	return s.booking(ctx, s.read(ctx), sc, id)
}

// LockBooking locks a booking and reads it in the caller's scope, in the transaction of ctx.
func (s *Store) LockBooking(ctx context.Context, sc identity.Scope, id string) (booking.Booking, error) {
	return lockedRead(ctx, s, sc, "bookings", id, s.booking)
}

// SaveBookingStatus writes a booking's status and reason, in the transaction of ctx.
func (s *Store) SaveBookingStatus(ctx context.Context, b booking.Booking) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE bookings SET status = ?, reason = ?, updated_at = ? WHERE id = ?`, b.Status, b.Reason, s.now(), b.ID)
	return err
}

// ListBookings lists bookings in the caller's scope, by start.
func (s *Store) ListBookings(ctx context.Context, sc identity.Scope, f booking.Filter, req page.Request) (page.Page[booking.Booking], error) {
	cond, args := bookingScope(sc)
	where := []string{cond}
	for _, eq := range []struct{ col, v string }{{"b.resource_id", f.ResourceID}, {"b.enterprise_id", f.EnterpriseID}, {"b.status", string(f.Status)},
		{"b.username", f.Username}} {
		if eq.v != "" {
			where, args = append(where, eq.col+" = ?"), append(args, eq.v)
		}
	}
	if !f.From.IsZero() {
		where, args = append(where, "b.start_min >= ?"), append(args, minuteOf(time.Date(f.From.Year(), f.From.Month(), f.From.Day(), 0, 0, 0, 0, civil.Shanghai)))
	}
	if !f.To.IsZero() {
		to := f.To.AddDays(1)
		where, args = append(where, "b.start_min < ?"), append(args, minuteOf(time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, civil.Shanghai)))
	}
	l := listQuery[booking.Booking]{
		selectFrom: "SELECT " + bookingCols + bookingFrom,
		idExpr:     "b.id",
		sorts: []sortKey[booking.Booking]{
			{"start", "b.start_min", func(b booking.Booking) any { return minuteOf(b.Start) }},
		},
		scan: byValue(func(r *sql.Rows) (booking.Booking, error) { return scanBooking(r) }),
		id:   func(b booking.Booking) string { return b.ID },
	}
	l.filter(strings.Join(where, " AND "), args...)
	return l.run(ctx, s.read(ctx), req)
}

// ValidCertificate reports whether a user holds a certificate of a kind valid on a day.
func (s *Store) ValidCertificate(ctx context.Context, username, kind string, on civil.Date) (bool, error) {
	var n int
	err := s.read(ctx).queryRow(ctx, `SELECT COUNT(*) FROM training_certificates WHERE lower(username) = lower(?) AND kind = ?
		AND issued_on <= ? AND expires_on >= ?`, username, kind, on, on).Scan(&n)
	return n > 0, err
}

// UserEnterprise is the enterprise of an enterprise user whose enterprise the caller may see.
func (s *Store) UserEnterprise(ctx context.Context, sc identity.Scope, username string) (string, error) {
	cond, args := enterpriseScope(sc, "u.enterprise_id")
	var ent string
	err := s.read(ctx).queryRow(ctx, `SELECT u.enterprise_id FROM users u WHERE lower(u.username) = lower(?) AND u.enterprise_id IS NOT NULL
		AND u.role IN ('ent_admin', 'ent_member') AND `+cond, append([]any{username}, args...)...).Scan(&ent)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return ent, err
}

// CheckFacilityPark resolves the park a certificate or resource names: one out of scope is not
// found (naming park_id), one the caller only reads is forbidden.
func (s *Store) CheckFacilityPark(ctx context.Context, sc identity.Scope, parkID string) error {
	return s.checkParentPark(ctx, s.read(ctx), sc, parkID)
}

// InsertCertificate writes a certificate, in the transaction of ctx.
func (s *Store) InsertCertificate(ctx context.Context, cert booking.Certificate) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO training_certificates (id, park_id, enterprise_id, username, kind, issued_on, expires_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, cert.ID, cert.ParkID, cert.EnterpriseID, cert.Username, cert.Kind, cert.IssuedOn, cert.ExpiresOn, s.now())
	return err
}

// ListCertificates lists certificates: an enterprise's users their own enterprise's; staff their
// parks' (one park's when parkID is set).
func (s *Store) ListCertificates(ctx context.Context, sc identity.Scope, parkID string) ([]booking.Certificate, error) {
	cond, args := parkScope(sc, "c.park_id", false)
	if sc.Role.IsEnterprise() {
		cond, args = "c.enterprise_id = ?", []any{sc.EnterpriseID}
	}
	if parkID != "" {
		cond, args = cond+" AND c.park_id = ?", append(args, parkID)
	}
	rows, err := s.read(ctx).query(ctx, `SELECT c.id, c.park_id, c.enterprise_id, c.username, c.kind, c.issued_on, c.expires_on, c.created_at
		FROM training_certificates c WHERE `+cond+` ORDER BY c.expires_on, c.username`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []booking.Certificate{}
	for rows.Next() {
		var c booking.Certificate
		if err := rows.Scan(&c.ID, &c.ParkID, &c.EnterpriseID, &c.Username, &c.Kind, &c.IssuedOn, &c.ExpiresOn, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertCharge keeps a charge once per source, in the transaction of ctx.
func (s *Store) InsertCharge(ctx context.Context, ch booking.Charge) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO facility_charges (id, park_id, enterprise_id, source, source_id, amount, rule, charged_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, source_id) DO NOTHING`,
		ch.ID, ch.ParkID, ch.EnterpriseID, ch.Source, ch.SourceID, ch.Amount, ch.Rule, ch.On, s.now())
	return err
}

// ListCharges lists an enterprise's facility charges in the caller's scope, newest first.
func (s *Store) ListCharges(ctx context.Context, sc identity.Scope, enterpriseID string) ([]booking.Charge, error) {
	cond, args := parkScope(sc, "c.park_id", false)
	if sc.Role.IsEnterprise() {
		cond, args = "c.enterprise_id = ?", []any{sc.EnterpriseID}
	}
	rows, err := s.read(ctx).query(ctx, `SELECT c.id, c.park_id, c.enterprise_id, c.source, c.source_id, c.amount, c.rule, c.charged_on, c.created_at
		FROM facility_charges c WHERE c.enterprise_id = ? AND `+cond+` ORDER BY c.charged_on DESC, c.id`, append([]any{enterpriseID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []booking.Charge{}
	for rows.Next() {
		var c booking.Charge
		if err := rows.Scan(&c.ID, &c.ParkID, &c.EnterpriseID, &c.Source, &c.SourceID, &c.Amount, &c.Rule, &c.On, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertFeed keeps a calendar feed under its token's hash, in the transaction of ctx.
func (s *Store) InsertFeed(ctx context.Context, f booking.Feed, tokenHash string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO calendar_feeds (id, user_id, resource_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		f.ID, f.UserID, nullable(f.ResourceID), tokenHash, s.now())
	return err
}

func scanFeed(row scanner) (booking.Feed, error) {
	var f booking.Feed
	var revoked sql.NullTime
	err := row.Scan(&f.ID, &f.UserID, nullString{&f.ResourceID}, &f.CreatedAt, &revoked)
	if revoked.Valid {
		f.RevokedAt = &revoked.Time
	}
	return f, err
}

const feedCols = `id, user_id, resource_id, created_at, revoked_at`

// Feeds lists a user's calendar feeds, newest first.
func (s *Store) Feeds(ctx context.Context, userID string) ([]booking.Feed, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+feedCols+` FROM calendar_feeds WHERE user_id = ? ORDER BY created_at DESC, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []booking.Feed{}
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FeedByToken finds a feed not revoked by its token's hash.
func (s *Store) FeedByToken(ctx context.Context, tokenHash string) (booking.Feed, error) {
	f, err := scanFeed(s.read(ctx).queryRow(ctx, `SELECT `+feedCols+` FROM calendar_feeds WHERE token_hash = ? AND revoked_at IS NULL`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("日历订阅", "calendar feed")
	}
	return f, err
}

// RevokeFeed revokes one of a user's feeds, in the transaction of ctx.
func (s *Store) RevokeFeed(ctx context.Context, userID, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, s.now(), id, userID)
	return changedOne(res, err, notFound("日历订阅", "calendar feed"))
}

// Uses are the used times of a park's resources starting in [from, to): approved, checked in,
// completed or a no-show, for utilisation; staff of the park and the authority only.
func (s *Store) Uses(ctx context.Context, sc identity.Scope, parkID string, from, to time.Time) ([]booking.Use, error) {
	if !sc.HasPark(parkID) {
		return nil, parkNotFound()
	}
	rows, err := s.read(ctx).query(ctx, `SELECT resource_id, start_min, end_min FROM bookings WHERE park_id = ?
		AND status IN ('approved', 'checked_in', 'completed', 'no_show') AND start_min >= ? AND start_min < ?`, parkID, minuteOf(from), minuteOf(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []booking.Use
	for rows.Next() {
		var u booking.Use
		var a, b int64
		if err := rows.Scan(&u.ResourceID, &a, &b); err != nil {
			return nil, err
		}
		u.Start, u.End = instantOf(a), instantOf(b)
		out = append(out, u)
	}
	return out, rows.Err()
}

// ExpiringCertificates claims the certificates expiring from one day to another whose holders
// were not reminded yet, marking them reminded on today, in the transaction of ctx.
func (s *Store) ExpiringCertificates(ctx context.Context, from, to, today civil.Date) ([]booking.Certificate, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT id, park_id, enterprise_id, username, kind, issued_on, expires_on, created_at FROM training_certificates
		WHERE reminded_on IS NULL AND expires_on >= ? AND expires_on <= ? ORDER BY expires_on, id`, from, to)
	if err != nil {
		return nil, err
	}
	var out []booking.Certificate
	for rows.Next() {
		var ct booking.Certificate
		if err := rows.Scan(&ct.ID, &ct.ParkID, &ct.EnterpriseID, &ct.Username, &ct.Kind, &ct.IssuedOn, &ct.ExpiresOn, &ct.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, ct)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var claimed []booking.Certificate
	for _, ct := range out {
		res, err := c.exec(ctx, `UPDATE training_certificates SET reminded_on = ? WHERE id = ? AND reminded_on IS NULL`, today, ct.ID)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = append(claimed, ct)
		}
	}
	return claimed, nil
}
