package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

const residencyCols = `r.id, r.enterprise_id, r.park_id, r.move_in, r.move_out, r.note, r.created_at, r.updated_at`

func scanResidency(row scanner) (enterprise.Residency, error) {
	var r enterprise.Residency
	err := row.Scan(&r.ID, &r.EnterpriseID, &r.ParkID, &r.MoveIn, &r.MoveOut, &r.Note, &r.CreatedAt, &r.UpdatedAt)
	r.UnitIDs = []string{}
	return r, err
}

// ownedByVisibleEnterprise limits rows of an enterprise-owned table (alias.enterprise_id).
func ownedByVisibleEnterprise(sc identity.Scope, alias string) (string, []any) {
	cond, args := enterpriseScope(sc, "oe.id")
	return "EXISTS (SELECT 1 FROM enterprises oe WHERE oe.id = " + alias + ".enterprise_id AND " + cond + ")", args
}

// ListResidencies lists residencies of visible enterprises.
func (s *Store) ListResidencies(ctx context.Context, sc identity.Scope, f enterprise.ResidencyFilter, req page.Request) (page.Page[enterprise.Residency], error) {
	l := listQuery[enterprise.Residency]{
		selectFrom: "SELECT " + residencyCols + " FROM residencies r",
		idExpr:     "r.id",
		sorts: []sortKey[enterprise.Residency]{
			{"move_in", "r.move_in", func(r enterprise.Residency) any { return r.MoveIn.String() }},
		},
		scan: byValue(func(rows *sql.Rows) (enterprise.Residency, error) { return scanResidency(rows) }),
		id:   func(r enterprise.Residency) string { return r.ID },
	}
	cond, args := ownedByVisibleEnterprise(sc, "r")
	l.filter(cond, args...)
	if f.EnterpriseID != "" {
		l.filter("r.enterprise_id = ?", f.EnterpriseID)
	}
	if f.ParkID != "" {
		l.filter("r.park_id = ?", f.ParkID)
	}
	if f.UnitID != "" {
		l.filter("EXISTS (SELECT 1 FROM residency_units fu WHERE fu.residency_id = r.id AND fu.unit_id = ?)", f.UnitID)
	}
	if !f.CurrentOn.IsZero() {
		l.filter("r.move_in <= ? AND (r.move_out IS NULL OR r.move_out > ?)", f.CurrentOn, f.CurrentOn)
	}
	pg, err := l.run(ctx, s.read(ctx), req)
	if err != nil {
		return pg, err
	}
	return pg, s.attachResidencyUnits(ctx, s.read(ctx), pg.Items)
}

func (s *Store) attachResidencyUnits(ctx context.Context, c conn, rs []enterprise.Residency) error {
	if len(rs) == 0 {
		return nil
	}
	idx := map[string]int{}
	ids := make([]string, len(rs))
	for i, r := range rs {
		idx[r.ID], ids[i] = i, r.ID
	}
	return eachPair(ctx, c, `SELECT residency_id, unit_id FROM residency_units WHERE residency_id IN (`+bindParams(len(ids))+`)
		ORDER BY unit_id`, ids, func(id, u string) { rs[idx[id]].UnitIDs = append(rs[idx[id]].UnitIDs, u) })
}

// GetResidency returns one residency.
func (s *Store) GetResidency(ctx context.Context, sc identity.Scope, id string) (enterprise.Residency, error) {
	return s.getResidency(ctx, s.read(ctx), sc, id)
}

func (s *Store) getResidency(ctx context.Context, c conn, sc identity.Scope, id string) (enterprise.Residency, error) {
	cond, args := ownedByVisibleEnterprise(sc, "r")
	r, err := scanResidency(c.queryRow(ctx, "SELECT "+residencyCols+" FROM residencies r WHERE r.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("入驻记录", "residency")
	}
	if err != nil {
		return r, err
	}
	rs := []enterprise.Residency{r}
	err = s.attachResidencyUnits(ctx, c, rs)
	return rs[0], err
}

// checkResidency: the enterprise is visible, the caller runs the park, and the units are that
// park's.
func (s *Store) checkResidency(ctx context.Context, c conn, sc identity.Scope, r enterprise.Residency) error {
	if _, err := s.getEnterprise(ctx, c, sc, r.EnterpriseID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return fieldErr("enterprise_id", "not_found", "企业不存在", "no such enterprise")
		}
		return err
	}
	if !sc.HasPark(r.ParkID) {
		return fieldErr("park_id", "not_found", "园区不存在", "no such park")
	}
	if err := checkKnown(ctx, c, "parks", "id", "park_id", []string{r.ParkID}); err != nil {
		return fieldErr("park_id", "not_found", "园区不存在", "no such park")
	}
	for i, u := range r.UnitIDs {
		var parkID string
		err := c.queryRow(ctx, `SELECT park_id FROM units WHERE id = ?`, u).Scan(&parkID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && parkID != r.ParkID) {
			return fieldErr(fmt.Sprintf("unit_ids[%d]", i), "not_found", "该园区没有这个单元", "the park has no such unit")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) saveResidencyUnits(ctx context.Context, c conn, r enterprise.Residency) error {
	if _, err := c.exec(ctx, `DELETE FROM residency_units WHERE residency_id = ?`, r.ID); err != nil {
		return err
	}
	for _, u := range dedupe(r.UnitIDs) {
		if _, err := c.exec(ctx, `INSERT INTO residency_units (residency_id, park_id, unit_id) VALUES (?, ?, ?)`, r.ID, r.ParkID, u); err != nil {
			return err
		}
	}
	return nil
}

// InsertResidency writes a new residency in the transaction of ctx, its enterprise, park and
// units resolved in the caller's scope.
func (s *Store) InsertResidency(ctx context.Context, sc identity.Scope, r enterprise.Residency) (enterprise.Residency, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return r, err
	}
	if err := s.checkResidency(ctx, c, sc, r); err != nil {
		return r, err
	}
	r.ID, r.CreatedAt, r.UpdatedAt = newID(), s.now(), s.now()
	if _, err := c.exec(ctx, `INSERT INTO residencies (id, enterprise_id, park_id, move_in, move_out, note, created_at, updated_at)
		VALUES (`+bindParams(8)+`)`, r.ID, r.EnterpriseID, r.ParkID, r.MoveIn, r.MoveOut, r.Note, r.CreatedAt, r.UpdatedAt); err != nil {
		return r, err
	}
	if err := s.saveResidencyUnits(ctx, c, r); err != nil {
		return r, err
	}
	return s.getResidency(ctx, c, sc, r.ID)
}

// LockResidency locks a residency's row and reads it in the caller's scope.
func (s *Store) LockResidency(ctx context.Context, sc identity.Scope, id string) (enterprise.Residency, error) {
	return lockedRead(ctx, s, sc, "residencies", id, s.getResidency)
}

// SaveResidency writes a changed residency in the transaction of ctx, its park and units
// resolved in the caller's scope.
func (s *Store) SaveResidency(ctx context.Context, sc identity.Scope, r enterprise.Residency) (enterprise.Residency, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return r, err
	}
	if err := s.checkResidency(ctx, c, sc, r); err != nil {
		return r, err
	}
	r.UpdatedAt = s.now()
	if _, err := c.exec(ctx, `UPDATE residencies SET park_id = ?, move_in = ?, move_out = ?, note = ?, updated_at = ? WHERE id = ?`,
		r.ParkID, r.MoveIn, r.MoveOut, r.Note, r.UpdatedAt, r.ID); err != nil {
		return r, err
	}
	if err := s.saveResidencyUnits(ctx, c, r); err != nil {
		return r, err
	}
	return s.getResidency(ctx, c, sc, r.ID)
}

// DeleteResidencyRow removes a residency in the transaction of ctx.
func (s *Store) DeleteResidencyRow(ctx context.Context, id string) error {
	return s.deleteRow(ctx, "residencies", id)
}

const qualificationCols = `q.id, q.enterprise_id, q.kind, q.certificate_no, q.issued_on, q.expires_on, q.board, q.ticker,
	q.note, q.created_at, q.updated_at`

func scanQualification(r scanner) (enterprise.Qualification, error) {
	var q enterprise.Qualification
	err := r.Scan(&q.ID, &q.EnterpriseID, &q.Kind, &q.CertificateNo, &q.IssuedOn, &q.ExpiresOn, &q.Board, &q.Ticker,
		&q.Note, &q.CreatedAt, &q.UpdatedAt)
	return q, err
}

// ListQualifications lists qualifications of visible enterprises, e.g. those expiring soon.
func (s *Store) ListQualifications(ctx context.Context, sc identity.Scope, f enterprise.QualificationFilter, req page.Request) (page.Page[enterprise.Qualification], error) {
	l := listQuery[enterprise.Qualification]{
		selectFrom: "SELECT " + qualificationCols + " FROM qualifications q",
		idExpr:     "q.id",
		sorts: []sortKey[enterprise.Qualification]{
			{"kind", "q.kind", func(q enterprise.Qualification) any { return string(q.Kind) }},
			{"expires_on", "COALESCE(q.expires_on, '9999-12-31')", func(q enterprise.Qualification) any {
				if q.ExpiresOn.IsZero() {
					return "9999-12-31"
				}
				return q.ExpiresOn.String()
			}},
		},
		scan: byValue(func(r *sql.Rows) (enterprise.Qualification, error) { return scanQualification(r) }),
		id:   func(q enterprise.Qualification) string { return q.ID },
	}
	cond, args := ownedByVisibleEnterprise(sc, "q")
	l.filter(cond, args...)
	if f.EnterpriseID != "" {
		l.filter("q.enterprise_id = ?", f.EnterpriseID)
	}
	if f.ParkID != "" {
		cond, args := enterprisesOfParks("q.enterprise_id", []string{f.ParkID})
		l.filter(cond, args...)
	}
	if f.Kind != "" {
		l.filter("q.kind = ?", f.Kind)
	}
	if !f.ExpiringBefore.IsZero() {
		l.filter("q.expires_on IS NOT NULL AND q.expires_on < ?", f.ExpiringBefore)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetQualification returns one qualification.
func (s *Store) GetQualification(ctx context.Context, sc identity.Scope, id string) (enterprise.Qualification, error) {
	return s.getQualification(ctx, s.read(ctx), sc, id)
}

func (s *Store) getQualification(ctx context.Context, c conn, sc identity.Scope, id string) (enterprise.Qualification, error) {
	cond, args := ownedByVisibleEnterprise(sc, "q")
	q, err := scanQualification(c.queryRow(ctx, "SELECT "+qualificationCols+" FROM qualifications q WHERE q.id = ? AND "+cond,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return q, notFound("资质", "qualification")
	}
	return q, err
}

// InsertQualification writes a new qualification in the transaction of ctx.
func (s *Store) InsertQualification(ctx context.Context, sc identity.Scope, q enterprise.Qualification) (enterprise.Qualification, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return q, err
	}
	q.ID, q.CreatedAt, q.UpdatedAt = newID(), s.now(), s.now()
	if _, err := c.exec(ctx, `INSERT INTO qualifications (id, enterprise_id, kind, certificate_no, issued_on, expires_on, board,
		ticker, note, created_at, updated_at) VALUES (`+bindParams(11)+`)`, q.ID, q.EnterpriseID, q.Kind, q.CertificateNo,
		q.IssuedOn, q.ExpiresOn, q.Board, q.Ticker, q.Note, q.CreatedAt, q.UpdatedAt); err != nil {
		return q, err
	}
	return s.getQualification(ctx, c, sc, q.ID)
}

// LockQualification locks a qualification's row and reads it in the caller's scope.
func (s *Store) LockQualification(ctx context.Context, sc identity.Scope, id string) (enterprise.Qualification, error) {
	return lockedRead(ctx, s, sc, "qualifications", id, s.getQualification)
}

// SaveQualification writes a changed qualification in the transaction of ctx.
func (s *Store) SaveQualification(ctx context.Context, sc identity.Scope, q enterprise.Qualification) (enterprise.Qualification, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return q, err
	}
	q.UpdatedAt = s.now()
	if _, err := c.exec(ctx, `UPDATE qualifications SET kind = ?, certificate_no = ?, issued_on = ?, expires_on = ?, board = ?,
		ticker = ?, note = ?, updated_at = ? WHERE id = ?`, q.Kind, q.CertificateNo, q.IssuedOn, q.ExpiresOn, q.Board,
		q.Ticker, q.Note, q.UpdatedAt, q.ID); err != nil {
		return q, err
	}
	return s.getQualification(ctx, c, sc, q.ID)
}

// DeleteQualificationRow removes a qualification in the transaction of ctx.
func (s *Store) DeleteQualificationRow(ctx context.Context, id string) error {
	return s.deleteRow(ctx, "qualifications", id)
}

// EnterpriseIn reads an enterprise in the caller's scope, in the transaction of ctx.
func (s *Store) EnterpriseIn(ctx context.Context, sc identity.Scope, id string) (enterprise.Enterprise, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return enterprise.Enterprise{}, err
	}
	return s.getEnterprise(ctx, c, sc, id)
}
