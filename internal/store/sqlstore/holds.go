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
		scan:       func(r *sql.Rows) (leasing.Hold, error) { return scanHold(r, s.clock.Today()) },
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
	return l.run(ctx, s.read(), req)
}

// GetHold returns one hold.
func (s *Store) GetHold(ctx context.Context, sc identity.Scope, id string) (leasing.Hold, error) {
	return s.getHold(ctx, s.read(), sc, id)
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

// CreateHold reserves a unit for a lead. A unit held by another lead, or let under a signed
// contract, over any of the same days cannot be held (409 naming who has it).
func (s *Store) CreateHold(ctx context.Context, sc identity.Scope, h leasing.Hold) (leasing.Hold, error) {
	if err := requireRole(canWorkLeads(sc)); err != nil {
		return h, err
	}
	if err := h.Validate(s.clock.Today()); err != nil {
		return h, err
	}
	h.ID, h.Status, h.CreatedAt, h.UpdatedAt = newID(), "active", s.now(), s.now()
	var out leasing.Hold
	err := s.write(ctx, func(c conn) error {
		lead, err := s.getLead(ctx, c, sc, h.LeadID)
		if apperr.Is(err, apperr.NotFound) {
			return fieldErr("lead_id", "not_found", "招商线索不存在", "no such lead")
		}
		if err != nil {
			return err
		}
		if !lead.Open() {
			return fieldErr("lead_id", "closed", "线索已成交或丢单，不能再预留", "the lead is won or lost")
		}
		h.ParkID = lead.ParkID
		probe := leasing.Contract{ID: "", ParkID: lead.ParkID, LeadID: h.LeadID, StartOn: h.From, EndOn: h.Until,
			Units: []leasing.ContractUnit{{UnitID: h.UnitID, From: h.From, To: h.Until}}}
		if err := s.PrepareContractUnits(withConn(ctx, c), sc, &probe); err != nil {
			return asUnitField(err)
		}
		if err := s.CheckLettable(withConn(ctx, c), probe, probe.Units); err != nil {
			return asUnitField(err)
		}
		if _, err := c.exec(ctx, `INSERT INTO holds (id, park_id, lead_id, unit_id, from_on, until_on, status, note, created_at, updated_at)
			VALUES (`+bindParams(10)+`)`, h.ID, h.ParkID, h.LeadID, h.UnitID, h.From, h.Until, h.Status, h.Note, h.CreatedAt, h.UpdatedAt); err != nil {
			return err
		}
		out = h
		return s.record(ctx, c, sc, "create", "hold", h.ID, nil, h)
	})
	return out, err
}

// ReleaseHold gives a held unit back before its date. The release is a conditional update, so
// of two releases at once only one succeeds and leaves an audit entry.
func (s *Store) ReleaseHold(ctx context.Context, sc identity.Scope, id string) (leasing.Hold, error) {
	var out leasing.Hold
	err := s.write(ctx, func(c conn) error {
		h, err := s.getHold(ctx, c, sc, id)
		if err != nil {
			return err
		}
		if err := requireRole(canWorkLeads(sc)); err != nil {
			return err
		}
		notActive := conflict("只有有效的预留可以释放", "only an active hold can be released")
		if h.Status != "active" {
			return notActive
		}
		res, err := c.exec(ctx, `UPDATE holds SET status = 'released', updated_at = ? WHERE id = ? AND status = 'active'`, s.now(), id)
		if err := changedOne(res, err, notActive); err != nil {
			return err
		}
		out = h
		out.Status = "released"
		return s.record(ctx, c, sc, "release", "hold", id, h, out)
	})
	return out, err
}

// holdError explains a refusal because of another lead's hold.
func holdError(field, code, company, until string) error {
	e := apperr.New(apperr.Conflict, fmt.Sprintf("单元 %s 已为线索“%s”预留至 %s", code, company, until),
		fmt.Sprintf("unit %s is held for lead %q until %s", code, company, until))
	e.Fields = []apperr.FieldError{{Field: field, Code: "held", MessageZh: e.MessageZh, MessageEn: e.MessageEn}}
	return e
}

// asUnitField points the "units[0]…" errors of the lease check at a hold's unit_id.
func asUnitField(err error) error {
	if e, ok := apperr.As(err); ok {
		for i := range e.Fields {
			e.Fields[i].Field = "unit_id"
		}
	}
	return err
}
