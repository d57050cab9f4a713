package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
)

const holdCols = `h.id, h.park_id, h.lead_id, h.unit_id, h.from_on, h.until_on, h.status, h.note, h.created_at, h.updated_at`

func scanHold(r scanner, today civil.Date) (leasing.Hold, error) {
	var h leasing.Hold
	err := r.Scan(&h.ID, &h.ParkID, &h.LeadID, &h.UnitID, &h.From, &h.Until, &h.Status, &h.Note, &h.CreatedAt, &h.UpdatedAt)
	h.Status = h.EffectiveStatus(today)
	return h, err
}

// ListHolds lists holds in the caller's parks.
func (s *Store) ListHolds(ctx context.Context, sc identity.Scope, f leasing.HoldFilter, req page.Request) (page.Page[leasing.Hold], error) {
	l := listQuery[leasing.Hold]{
		selectFrom: "SELECT " + holdCols + " FROM holds h",
		idExpr:     "h.id",
		sorts:      []sortKey[leasing.Hold]{{"until", "h.until_on", func(h leasing.Hold) any { return h.Until.String() }}},
		scan:       byValue(func(r *sql.Rows) (leasing.Hold, error) { return scanHold(r, s.clock.Today()) }),
		id:         func(h leasing.Hold) string { return h.ID },
	}
	cond, args := parkScope(sc, "h.park_id", false)
	l.filter(cond, args...)
	for _, eq := range []struct{ col, v string }{{"h.park_id", f.ParkID}, {"h.lead_id", f.LeadID}, {"h.unit_id", f.UnitID}} {
		if eq.v != "" {
			l.filter(eq.col+" = ?", eq.v)
		}
	}
	if !f.ActiveOn.IsZero() {
		l.filter("h.status = 'active' AND h.from_on <= ? AND h.until_on >= ?", f.ActiveOn, f.ActiveOn)
	}
	if !f.LapsingBy.IsZero() {
		l.filter("h.status = 'active' AND h.until_on >= ? AND h.until_on <= ?", s.clock.Today(), f.LapsingBy)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetHold returns one hold.
func (s *Store) GetHold(ctx context.Context, sc identity.Scope, id string) (leasing.Hold, error) {
	return s.getHold(ctx, s.read(ctx), sc, id)
}

func (s *Store) getHold(ctx context.Context, c conn, sc identity.Scope, id string) (leasing.Hold, error) {
	cond, args := parkScope(sc, "h.park_id", false)
	h, err := scanHold(c.queryRow(ctx, "SELECT "+holdCols+" FROM holds h WHERE h.id = ? AND "+cond, append([]any{id}, args...)...), s.clock.Today())
	if errors.Is(err, sql.ErrNoRows) {
		return h, notFound("预留", "hold")
	}
	return h, err
}

// holdConflict finds another lead's active hold on the unit over [from, to] that has not lapsed.
func (s *Store) holdConflict(ctx context.Context, c conn, unitID, exceptLead string, from, to civil.Date) (company, until string, err error) {
	var u civil.Date
	err = c.queryRow(ctx, `SELECT l.company, h.until_on FROM holds h JOIN leads l ON l.id = h.lead_id
		WHERE h.unit_id = ? AND h.lead_id <> ? AND h.status = 'active' AND h.until_on >= ? AND h.from_on <= ? AND h.until_on >= ?
		ORDER BY h.until_on LIMIT 1`, unitID, exceptLead, s.clock.Today(), to, from).Scan(&company, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return company, u.String(), err
}

// InsertHold writes a new hold in the transaction of ctx.
func (s *Store) InsertHold(ctx context.Context, sc identity.Scope, h leasing.Hold) (leasing.Hold, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return h, err
	}
	h.ID, h.CreatedAt, h.UpdatedAt = newID(), s.now(), s.now()
	if _, err := c.exec(ctx, `INSERT INTO holds (id, park_id, lead_id, unit_id, from_on, until_on, status, note, created_at, updated_at)
		VALUES (`+bindParams(10)+`)`, h.ID, h.ParkID, h.LeadID, h.UnitID, h.From, h.Until, h.Status, h.Note, h.CreatedAt, h.UpdatedAt); err != nil {
		return h, err
	}
	return s.getHold(ctx, c, sc, h.ID)
}

// LockHold locks a hold's row and reads it in the caller's scope, in the transaction of ctx.
func (s *Store) LockHold(ctx context.Context, sc identity.Scope, id string) (leasing.Hold, error) {
	return lockedRead(ctx, s, sc, "holds", id, s.getHold)
}

// SaveHoldStatus moves a hold from the status it was read with to h.Status, conditionally: of
// two writers that decided on the same change, only the first lands (409 for the other).
func (s *Store) SaveHoldStatus(ctx context.Context, h leasing.Hold, was string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE holds SET status = ?, updated_at = ? WHERE id = ? AND status = ?`, h.Status, s.now(), h.ID, was)
	return changedOne(res, err, conflict("预留已被他人同时修改，请刷新后重试", "the hold was changed at the same time; reload and try again"))
}

// holdError explains a refusal because of another lead's hold.
func holdError(field, code, company, until string) error {
	e := apperr.New(apperr.Conflict, fmt.Sprintf("单元 %s 已为线索“%s”预留至 %s", code, company, until),
		fmt.Sprintf("unit %s is held for lead %q until %s", code, company, until))
	e.Fields = []apperr.FieldError{{Field: field, Code: "held", MessageZh: e.MessageZh, MessageEn: e.MessageEn}}
	return e
}
