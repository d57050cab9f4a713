package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
)

// collect scans every row of rows and closes them.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CheckServicePark resolves a park whose services the caller may see: staff their parks, an
// enterprise's users their enterprise's park, the authority every park.
func (s *Store) CheckServicePark(ctx context.Context, sc identity.Scope, parkID string) error {
	c := s.read(ctx)
	if sc.Role.IsEnterprise() {
		var n int
		if err := c.queryRow(ctx, `SELECT COUNT(*) FROM enterprises WHERE id = ? AND park_id = ?`, sc.EnterpriseID, parkID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return parkNotFound()
		}
		return nil
	}
	_, err := s.getPark(ctx, c, sc, parkID)
	return err
}

// ParkPlatforms are a park's own platform rows.
func (s *Store) ParkPlatforms(ctx context.Context, parkID string) ([]servicedesk.Platform, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT code, system, name_zh, name_en, active FROM service_platforms WHERE park_id = ? ORDER BY code`, parkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []servicedesk.Platform
	for rows.Next() {
		var p servicedesk.Platform
		if err := rows.Scan(&p.Code, &p.System, &p.NameZh, &p.NameEn, &p.Active); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SavePlatform writes a park's platform row, in the transaction of ctx.
func (s *Store) SavePlatform(ctx context.Context, parkID string, p servicedesk.Platform) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO service_platforms (park_id, code, system, name_zh, name_en, active) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (park_id, code) DO UPDATE SET system = excluded.system, name_zh = excluded.name_zh, name_en = excluded.name_en, active = excluded.active`,
		parkID, p.Code, p.System, p.NameZh, p.NameEn, p.Active)
	return err
}

// catalogScope: catalog rows without a park are everyone's; a park's are seen by whoever sees
// the park.
func catalogScope(sc identity.Scope, col string) (string, []any) {
	cond, args := parkScope(sc, col, true)
	return "(" + col + " IS NULL OR " + cond + ")", args
}

const categoryCols = `id, COALESCE(park_id, ''), kind, code, name_zh, name_en, platform, response_hours, resolution_hours, COALESCE(provider_id, ''), needs_unit, active`

func scanCategory(row scanner) (servicedesk.Category, error) {
	var c servicedesk.Category
	err := row.Scan(&c.ID, &c.ParkID, &c.Kind, &c.Code, &c.NameZh, &c.NameEn, &c.Platform, &c.ResponseHours, &c.ResolutionHours, &c.ProviderID, &c.NeedsUnit, &c.Active)
	return c, err
}

// Categories are the default categories of a kind and a park's own.
func (s *Store) Categories(ctx context.Context, parkID string, kind servicedesk.Kind) ([]servicedesk.Category, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+categoryCols+` FROM service_categories WHERE kind = ? AND (park_id IS NULL OR park_id = ?)
		ORDER BY platform, code, park_id`, kind, parkID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanCategory)
}

// GetCategory reads a category without a park or of a park the caller sees.
func (s *Store) GetCategory(ctx context.Context, sc identity.Scope, id string) (servicedesk.Category, error) {
	cond, args := catalogScope(sc, "park_id")
	c, err := scanCategory(s.read(ctx).queryRow(ctx, `SELECT `+categoryCols+` FROM service_categories WHERE id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("服务类别", "category")
	}
	return c, err
}

// InsertCategory writes a park's category, in the transaction of ctx.
func (s *Store) InsertCategory(ctx context.Context, cat servicedesk.Category) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO service_categories (id, park_id, kind, code, name_zh, name_en, platform, response_hours, resolution_hours, provider_id, needs_unit, active)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, cat.ID, nullable(cat.ParkID), cat.Kind, cat.Code, cat.NameZh, cat.NameEn, cat.Platform,
		cat.ResponseHours, cat.ResolutionHours, nullable(cat.ProviderID), cat.NeedsUnit, cat.Active)
	return s.constraintError(err, "code", "该园区已有此编码的服务类别", "the park already has a category with this code")
}

const providerCols = `id, COALESCE(park_id, ''), name, kind, contact, description, active, created_at`

func scanProvider(row scanner) (servicedesk.Provider, error) {
	var p servicedesk.Provider
	err := row.Scan(&p.ID, &p.ParkID, &p.Name, &p.Kind, &p.Contact, &p.Description, &p.Active, &p.CreatedAt)
	p.Members = []string{}
	return p, err
}

// members fills providers' member lists.
func (s *Store) members(ctx context.Context, ps []servicedesk.Provider) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]string, len(ps))
	at := map[string]int{}
	for i, p := range ps {
		ids[i], at[p.ID] = p.ID, i
	}
	return eachPair(ctx, s.read(ctx), `SELECT provider_id, username FROM service_provider_members WHERE provider_id IN (`+bindParams(len(ids))+`)
		ORDER BY username`, ids, func(id, user string) { ps[at[id]].Members = append(ps[at[id]].Members, user) })
}

// Providers are a park's providers, or the authority's departments (parkID "").
func (s *Store) Providers(ctx context.Context, parkID string) ([]servicedesk.Provider, error) {
	q, args := `SELECT `+providerCols+` FROM service_providers WHERE park_id = ? ORDER BY name, id`, []any{parkID}
	if parkID == "" {
		q, args = `SELECT `+providerCols+` FROM service_providers WHERE park_id IS NULL ORDER BY name, id`, nil
	}
	rows, err := s.read(ctx).query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, scanProvider)
	if err != nil {
		return nil, err
	}
	return out, s.members(ctx, out)
}

// GetProvider reads a provider without a park or of a park the caller sees.
func (s *Store) GetProvider(ctx context.Context, sc identity.Scope, id string) (servicedesk.Provider, error) {
	cond, args := catalogScope(sc, "park_id")
	p, err := scanProvider(s.read(ctx).queryRow(ctx, `SELECT `+providerCols+` FROM service_providers WHERE id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("服务商", "provider")
	}
	if err != nil {
		return p, err
	}
	ps := []servicedesk.Provider{p}
	return ps[0], s.members(ctx, ps)
}

// InsertProvider writes a provider and its members, in the transaction of ctx.
func (s *Store) InsertProvider(ctx context.Context, p servicedesk.Provider) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `INSERT INTO service_providers (id, park_id, name, kind, contact, description, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, nullable(p.ParkID), p.Name, p.Kind, p.Contact, p.Description, p.Active, p.CreatedAt); err != nil {
		return err
	}
	for _, m := range dedupe(p.Members) {
		if _, err := c.exec(ctx, `INSERT INTO service_provider_members (provider_id, username) VALUES (?, ?)`, p.ID, m); err != nil {
			return err
		}
	}
	return nil
}

const offeringCols = `o.id, o.park_id, o.provider_id, pr.name, o.platform, o.name, o.description, o.price, o.price_unit, o.lead_days, o.active, o.created_at`

func scanOffering(row scanner) (servicedesk.Offering, error) {
	var o servicedesk.Offering
	err := row.Scan(&o.ID, &o.ParkID, &o.ProviderID, &o.ProviderName, &o.Platform, &o.Name, &o.Description, &o.Price, &o.PriceUnit, &o.LeadDays, &o.Active, &o.CreatedAt)
	return o, err
}

// Offerings are a park's offerings.
func (s *Store) Offerings(ctx context.Context, parkID string) ([]servicedesk.Offering, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+offeringCols+` FROM service_offerings o JOIN service_providers pr ON pr.id = o.provider_id
		WHERE o.park_id = ? ORDER BY o.platform, o.name, o.id`, parkID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOffering)
}

// GetOffering reads an offering of a park the caller sees.
func (s *Store) GetOffering(ctx context.Context, sc identity.Scope, id string) (servicedesk.Offering, error) {
	cond, args := parkScope(sc, "o.park_id", true)
	o, err := scanOffering(s.read(ctx).queryRow(ctx, `SELECT `+offeringCols+` FROM service_offerings o JOIN service_providers pr ON pr.id = o.provider_id
		WHERE o.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("服务项目", "offering")
	}
	return o, err
}

// InsertOffering writes an offering, in the transaction of ctx.
func (s *Store) InsertOffering(ctx context.Context, o servicedesk.Offering) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO service_offerings (id, park_id, provider_id, platform, name, description, price, price_unit, lead_days, active, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, o.ParkID, o.ProviderID, o.Platform, o.Name, o.Description, o.Price, o.PriceUnit, o.LeadDays, o.Active, o.CreatedAt)
	return err
}

// WorkingHours are a park's working week as set (nil when it set none).
func (s *Store) WorkingHours(ctx context.Context, parkID string) ([]servicedesk.WorkingWindow, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT weekday, from_min, to_min FROM park_working_hours WHERE park_id = ? ORDER BY weekday, from_min`, parkID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (servicedesk.WorkingWindow, error) {
		var w servicedesk.WorkingWindow
		return w, r.Scan(&w.Weekday, &w.FromMin, &w.ToMin)
	})
}

// SaveWorkingHours replaces a park's working week, in the transaction of ctx, holding the park's
// row: two replacements at once queue instead of colliding on the rows they both insert.
func (s *Store) SaveWorkingHours(ctx context.Context, parkID string, hours []servicedesk.WorkingWindow) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := s.lockRows(ctx, c, "parks", []string{parkID}); err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM park_working_hours WHERE park_id = ?`, parkID); err != nil {
		return err
	}
	for _, w := range hours {
		if _, err := c.exec(ctx, `INSERT INTO park_working_hours (park_id, weekday, from_min, to_min) VALUES (?, ?, ?, ?)`, parkID, w.Weekday, w.FromMin, w.ToMin); err != nil {
			return err
		}
	}
	return nil
}

// ParkUnit is the code of a unit of a park that the caller sees (a tenant: its own units).
func (s *Store) ParkUnit(ctx context.Context, sc identity.Scope, parkID, unitID string) (string, error) {
	var code string
	cond, args := unitScope(sc)
	err := s.read(ctx).queryRow(ctx, `SELECT u.code FROM units u WHERE u.id = ? AND u.park_id = ? AND `+cond,
		append([]any{unitID, parkID}, args...)...).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("单元", "unit")
	}
	return code, err
}

// StaffName is the username, as stored, of an active park manager or service user of a park
// (for parkID "", of an active authority user) named in any case; "" when there is none.
func (s *Store) StaffName(ctx context.Context, parkID, username string) (string, error) {
	var name string
	q, args := `SELECT u.username FROM users u JOIN user_parks up ON up.user_id = u.id WHERE lower(u.username) = lower(?) AND up.park_id = ?
		AND u.role IN ('park_manager', 'service') AND NOT u.disabled`, []any{username, parkID}
	if parkID == "" {
		q, args = `SELECT u.username FROM users u WHERE lower(u.username) = lower(?) AND u.role = 'authority' AND NOT u.disabled`, []any{username}
	}
	err := s.read(ctx).queryRow(ctx, q, args...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// AttachmentCount is how many files a ticket has.
func (s *Store) AttachmentCount(ctx context.Context, ticketID string) (int, error) {
	var n int
	err := s.read(ctx).queryRow(ctx, `SELECT COUNT(*) FROM service_attachments WHERE request_id = ?`, ticketID).Scan(&n)
	return n, err
}

// StaffOf are the usernames of the active users who work a park's requests (parkID "": the
// authority's).
func (s *Store) StaffOf(ctx context.Context, parkID string) ([]string, error) {
	q, args := `SELECT u.username FROM users u JOIN user_parks up ON up.user_id = u.id WHERE up.park_id = ?
		AND u.role IN ('park_manager', 'service') AND NOT u.disabled ORDER BY u.username`, []any{parkID}
	if parkID == "" {
		q, args = `SELECT u.username FROM users u WHERE u.role = 'authority' AND NOT u.disabled ORDER BY u.username`, nil
	}
	rows, err := s.read(ctx).query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (string, error) {
		var u string
		return u, r.Scan(&u)
	})
}

// ticketScope: an enterprise's users see its requests; park staff their parks' requests and
// demands; the authority and administrators all.
func ticketScope(sc identity.Scope) (string, []any) {
	if sc.Role.IsEnterprise() {
		return "(t.kind = 'request' AND t.enterprise_id = ?)", []any{sc.EnterpriseID}
	}
	return parkScope(sc, "t.park_id", false)
}

const ticketCols = `t.id, t.kind, t.park_id, p.name_zh, COALESCE(t.enterprise_id, ''), COALESCE(e.name, ''), t.category_id, c.name_zh, c.name_en,
	t.platform, COALESCE(t.offering_id, ''), COALESCE(t.unit_id, ''), COALESCE(u.code, ''), t.title, t.body, t.submitted_by, t.status,
	COALESCE(t.provider_id, ''), COALESCE(pr.name, ''), t.assignee, COALESCE(t.escalated_from, ''), COALESCE(t.escalated_to, ''),
	t.submitted_at, t.response_due, t.resolution_due, t.responded_at, t.resolved_at, t.closed_at, t.reopened, COALESCE(t.rating, 0),
	t.rating_comment, t.updated_at`

const ticketFrom = ` FROM service_requests t JOIN parks p ON p.id = t.park_id JOIN service_categories c ON c.id = t.category_id
	LEFT JOIN enterprises e ON e.id = t.enterprise_id LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN service_providers pr ON pr.id = t.provider_id`

func unixTime(v int64) time.Time { return time.Unix(v, 0).UTC() }

func optionalTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := unixTime(v.Int64)
	return &t
}

func optionalUnix(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Unix()
}

func scanTicket(row scanner) (servicedesk.Ticket, error) {
	var t servicedesk.Ticket
	var submitted, respDue, resDue int64
	var responded, resolved, closed sql.NullInt64
	err := row.Scan(&t.ID, &t.Kind, &t.ParkID, &t.ParkName, &t.EnterpriseID, &t.EnterpriseName, &t.CategoryID, &t.CategoryZh, &t.CategoryEn,
		&t.Platform, &t.OfferingID, &t.UnitID, &t.UnitCode, &t.Title, &t.Body, &t.SubmittedBy, &t.Status,
		&t.ProviderID, &t.ProviderName, &t.Assignee, &t.EscalatedFrom, &t.EscalatedTo,
		&submitted, &respDue, &resDue, &responded, &resolved, &closed, &t.Reopened, &t.Rating, &t.RatingComment, &t.UpdatedAt)
	t.SubmittedAt, t.ResponseDue, t.ResolutionDue = unixTime(submitted), unixTime(respDue), unixTime(resDue)
	t.RespondedAt, t.ResolvedAt, t.ClosedAt = optionalTime(responded), optionalTime(resolved), optionalTime(closed)
	return t, err
}

// InsertTicket writes a ticket, in the transaction of ctx.
func (s *Store) InsertTicket(ctx context.Context, t servicedesk.Ticket) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO service_requests (id, kind, park_id, enterprise_id, category_id, platform, offering_id, unit_id, title, body,
		submitted_by, status, provider_id, assignee, escalated_from, submitted_at, submitted_month, response_due, resolution_due, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Kind, t.ParkID, nullable(t.EnterpriseID), t.CategoryID, t.Platform, nullable(t.OfferingID), nullable(t.UnitID), t.Title, t.Body,
		t.SubmittedBy, t.Status, nullable(t.ProviderID), t.Assignee, nullable(t.EscalatedFrom), t.SubmittedAt.Unix(), servicedesk.MonthOf(t.SubmittedAt), t.ResponseDue.Unix(),
		t.ResolutionDue.Unix(), t.UpdatedAt)
	return s.constraintError(err, "action", "该请求已上报", "this request was escalated already")
}

func (s *Store) ticket(ctx context.Context, c conn, sc identity.Scope, id string) (servicedesk.Ticket, error) {
	cond, args := ticketScope(sc)
	t, err := scanTicket(c.queryRow(ctx, `SELECT `+ticketCols+ticketFrom+` WHERE t.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("服务请求", "service request")
	}
	return t, err
}

// GetTicket reads a ticket in the caller's scope.
func (s *Store) GetTicket(ctx context.Context, sc identity.Scope, id string) (servicedesk.Ticket, error) {
	return s.ticket(ctx, s.read(ctx), sc, id)
}

// LockTicket locks a ticket and reads it in the caller's scope, in the transaction of ctx.
func (s *Store) LockTicket(ctx context.Context, sc identity.Scope, id string) (servicedesk.Ticket, error) {
	return lockedRead(ctx, s, sc, "service_requests", id, s.ticket)
}

// SaveTicket writes a ticket's moving parts, in the transaction of ctx.
func (s *Store) SaveTicket(ctx context.Context, t servicedesk.Ticket) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	var rating any
	if t.Rating != 0 {
		rating = t.Rating
	}
	_, err = c.exec(ctx, `UPDATE service_requests SET status = ?, provider_id = ?, assignee = ?, escalated_to = ?, responded_at = ?, resolved_at = ?,
		closed_at = ?, reopened = ?, rating = ?, rating_comment = ?, updated_at = ? WHERE id = ?`,
		t.Status, nullable(t.ProviderID), t.Assignee, nullable(t.EscalatedTo), optionalUnix(t.RespondedAt), optionalUnix(t.ResolvedAt),
		optionalUnix(t.ClosedAt), t.Reopened, rating, t.RatingComment, t.UpdatedAt, t.ID)
	return err
}

// ListTickets lists tickets in the caller's scope by queue and filters, newest first unless
// sorted by due.
func (s *Store) ListTickets(ctx context.Context, sc identity.Scope, f servicedesk.Filter, req page.Request) (page.Page[servicedesk.Ticket], error) {
	cond, args := ticketScope(sc)
	where := []string{cond, "t.kind = ?"}
	args = append(args, f.Kind)
	for _, eq := range []struct{ col, v string }{{"t.park_id", f.ParkID}, {"t.enterprise_id", f.EnterpriseID}, {"t.platform", f.Platform},
		{"t.status", string(f.Status)}} {
		if eq.v != "" {
			where, args = append(where, eq.col+" = ?"), append(args, eq.v)
		}
	}
	unfinished := "t.status NOT IN ('resolved', 'closed')"
	switch f.Queue {
	case "mine":
		where, args = append(where, "lower(t.assignee) = lower(?)", unfinished), append(args, f.Username)
	case "team":
		where, args = append(where, unfinished, `t.provider_id IN (SELECT m.provider_id FROM service_provider_members m WHERE lower(m.username) = lower(?))`), append(args, f.Username)
	case "open":
		where = append(where, unfinished)
	case "due_today":
		where, args = append(where, unfinished, "t.resolution_due >= ? AND t.resolution_due < ?"), append(args, f.DayStart.Unix(), f.DayEnd.Unix())
	case "breached":
		now := f.Now.Unix()
		where = append(where, `(COALESCE(t.responded_at, ?) > t.response_due OR COALESCE(t.resolved_at, ?) > t.resolution_due)`)
		args = append(args, now, now)
	}
	l := listQuery[servicedesk.Ticket]{
		selectFrom: "SELECT " + ticketCols + ticketFrom,
		idExpr:     "t.id",
		sorts: []sortKey[servicedesk.Ticket]{
			{"submitted", "t.submitted_at", func(t servicedesk.Ticket) any { return t.SubmittedAt.Unix() }},
			{"due", "t.resolution_due", func(t servicedesk.Ticket) any { return t.ResolutionDue.Unix() }},
		},
		scan: byValue(func(r *sql.Rows) (servicedesk.Ticket, error) { return scanTicket(r) }),
		id:   func(t servicedesk.Ticket) string { return t.ID },
	}
	l.filter(strings.Join(where, " AND "), args...)
	return l.run(ctx, s.read(ctx), req)
}

// InsertComment writes a comment, in the transaction of ctx.
func (s *Store) InsertComment(ctx context.Context, ticketID string, cm servicedesk.Comment) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	park, err := ownerOf(ctx, c, "service_requests", "park_id", ticketID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO service_comments (id, request_id, park_id, author, internal, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		cm.ID, ticketID, park, cm.Author, cm.Internal, cm.Body, cm.CreatedAt)
	return err
}

// Comments are a ticket's comments in order, internal ones only when asked.
func (s *Store) Comments(ctx context.Context, ticketID string, withInternal bool) ([]servicedesk.Comment, error) {
	q := `SELECT id, author, internal, body, created_at FROM service_comments WHERE request_id = ?`
	if !withInternal {
		q += ` AND NOT internal`
	}
	rows, err := s.read(ctx).query(ctx, q+` ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (servicedesk.Comment, error) {
		var c servicedesk.Comment
		return c, r.Scan(&c.ID, &c.Author, &c.Internal, &c.Body, &c.CreatedAt)
	})
}

// InsertAttachment writes a file of a ticket, in the transaction of ctx.
func (s *Store) InsertAttachment(ctx context.Context, ticketID string, a servicedesk.Attachment, data []byte) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	park, err := ownerOf(ctx, c, "service_requests", "park_id", ticketID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO service_attachments (id, request_id, park_id, filename, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, ticketID, park, a.Filename, a.ContentType, a.Size, data, a.UploadedBy, a.CreatedAt)
	return err
}

const attachmentCols = `a.id, a.filename, a.content_type, a.size, a.uploaded_by, a.created_at`

func scanAttachment(r scanner, extra ...any) (servicedesk.Attachment, error) {
	var a servicedesk.Attachment
	return a, r.Scan(append([]any{&a.ID, &a.Filename, &a.ContentType, &a.Size, &a.UploadedBy, &a.CreatedAt}, extra...)...)
}

// Attachments are a ticket's files (without their bytes), in order.
func (s *Store) Attachments(ctx context.Context, ticketID string) ([]servicedesk.Attachment, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+attachmentCols+` FROM service_attachments a WHERE a.request_id = ? ORDER BY a.created_at, a.id`, ticketID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (servicedesk.Attachment, error) { return scanAttachment(r) })
}

// AttachmentData reads a file whose ticket the caller may see, with the ticket's id.
func (s *Store) AttachmentData(ctx context.Context, sc identity.Scope, id string) (servicedesk.Attachment, string, []byte, error) {
	cond, args := ticketScope(sc)
	var ticket string
	var data []byte
	a, err := scanAttachment(s.read(ctx).queryRow(ctx, `SELECT `+attachmentCols+`, a.request_id, a.data FROM service_attachments a
		JOIN service_requests t ON t.id = a.request_id WHERE a.id = ? AND `+cond, append([]any{id}, args...)...), &ticket, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return a, "", nil, notFound("附件", "attachment")
	}
	return a, ticket, data, err
}

// ClaimDueSoon marks as warned and returns the unfinished, unwarned tickets due before an
// instant, in the transaction of ctx: each is warned once, whichever process claims it.
func (s *Store) ClaimDueSoon(ctx context.Context, before time.Time) ([]servicedesk.Ticket, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT `+ticketCols+ticketFrom+` WHERE t.warned_at IS NULL AND t.status IN ('open', 'assigned', 'in_progress')
		AND t.resolution_due <= ? ORDER BY t.resolution_due LIMIT 500`, before.Unix())
	if err != nil {
		return nil, err
	}
	due, err := collect(rows, scanTicket)
	if err != nil {
		return nil, err
	}
	var out []servicedesk.Ticket
	now := s.now().Unix()
	for _, t := range due {
		res, err := c.exec(ctx, `UPDATE service_requests SET warned_at = ? WHERE id = ? AND warned_at IS NULL`, now, t.ID)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 1 {
			out = append(out, t)
		}
	}
	return out, nil
}

// Tallies count tickets of a kind in the caller's scope submitted between the first and last
// edge, by bucket and by park or platform.
func (s *Store) Tallies(ctx context.Context, sc identity.Scope, q servicedesk.TallyQuery) ([]servicedesk.Tally, error) {
	cond, args := ticketScope(sc)
	if sc.Role.IsEnterprise() {
		cond, args = "1=0", nil
	}
	// Names are read once per group, so the counts come from the report index alone.
	group, name := "t.platform", "t.platform"
	switch q.GroupBy {
	case "park":
		group, name = "t.park_id", "(SELECT p.name_zh FROM parks p WHERE p.id = t.park_id)"
	case "category":
		group, name = "t.category_id", "(SELECT c.name_zh || ' / ' || c.name_en FROM service_categories c WHERE c.id = t.category_id)"
	}
	all := append([]any{q.Now.Unix()}, args...)
	all = append(all, q.Kind, q.From, q.To)
	where := cond + " AND t.kind = ? AND t.submitted_month >= ? AND t.submitted_month <= ?"
	if q.ParkID != "" {
		where, all = where+" AND t.park_id = ?", append(all, q.ParkID)
	}
	rows, err := s.read(ctx).query(ctx, `SELECT `+group+`, `+name+`, t.submitted_month, COUNT(*),
		SUM(CASE WHEN t.resolved_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.resolved_at IS NOT NULL OR t.resolution_due < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.resolved_at IS NOT NULL AND t.resolved_at <= t.resolution_due AND t.responded_at IS NOT NULL AND t.responded_at <= t.response_due THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.rating IS NOT NULL THEN 1 ELSE 0 END), COALESCE(SUM(t.rating), 0)
		 FROM service_requests t WHERE `+where+` GROUP BY `+group+`, t.submitted_month ORDER BY `+group+`, t.submitted_month`, all...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (servicedesk.Tally, error) {
		var t servicedesk.Tally
		return t, r.Scan(&t.Group, &t.Name, &t.Month, &t.Submitted, &t.Resolved, &t.SLAEnded, &t.SLAMet, &t.Rated, &t.RatingSum)
	})
}
