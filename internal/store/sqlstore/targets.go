package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
)

// OpenLeads are a park's leads still being worked, for the forecast.
func (s *Store) OpenLeads(ctx context.Context, sc identity.Scope, parkID string) ([]leasing.Lead, error) {
	var out []leasing.Lead
	req := page.Request{Limit: page.MaxLimit}
	for {
		pg, err := s.ListLeads(ctx, sc, leasing.LeadFilter{ParkID: parkID, Open: true}, req)
		if err != nil {
			return nil, err
		}
		out = append(out, pg.Items...)
		if pg.NextCursor == "" {
			return out, nil
		}
		req.Cursor = pg.NextCursor
	}
}

// Targets lists a park's occupancy targets, each evaluated against the actual figure (past
// days) or the forecast (future days).
func (s *Store) Targets(ctx context.Context, sc identity.Scope, parkID string) ([]leasing.Target, error) {
	units, leases, err := s.OccupancyRows(ctx, sc, leasing.OccupancyFilter{ParkID: parkID})
	if err != nil {
		return nil, err
	}
	leads, err := s.OpenLeads(ctx, sc, parkID)
	if err != nil {
		return nil, err
	}
	rows, err := s.read(ctx).query(ctx, `SELECT id, park_id, metric, basis_points, by_date, note FROM occupancy_targets
		WHERE park_id = ? ORDER BY by_date, id`, parkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []leasing.Target{}
	today := s.clock.Today()
	for rows.Next() {
		var t leasing.Target
		if err := rows.Scan(&t.ID, &t.ParkID, &t.Metric, &t.BasisPoints, &t.ByDate, &t.Note); err != nil {
			return nil, err
		}
		t.Evaluate(units, leases, leads, today)
		out = append(out, t)
	}
	return out, rows.Err()
}

// InsertTarget writes a target for a park the caller operates, in the transaction of ctx.
func (s *Store) InsertTarget(ctx context.Context, sc identity.Scope, t leasing.Target) (leasing.Target, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return t, err
	}
	if err := s.checkParentPark(ctx, c, sc, t.ParkID); err != nil {
		return t, err
	}
	t.ID = newID()
	_, err = c.exec(ctx, `INSERT INTO occupancy_targets (id, park_id, metric, basis_points, by_date, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, t.ParkID, t.Metric, t.BasisPoints, t.ByDate, t.Note, s.now())
	return t, err
}

// TargetIn reads a target of a park the caller operates, in the transaction of ctx.
func (s *Store) TargetIn(ctx context.Context, sc identity.Scope, id string) (leasing.Target, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return leasing.Target{}, err
	}
	var t leasing.Target
	err = c.queryRow(ctx, `SELECT id, park_id, metric, basis_points, by_date, note FROM occupancy_targets WHERE id = ?`, id).
		Scan(&t.ID, &t.ParkID, &t.Metric, &t.BasisPoints, &t.ByDate, &t.Note)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.HasPark(t.ParkID)) {
		return t, notFound("目标", "target")
	}
	return t, err
}

// DeleteTargetRow removes a target in the transaction of ctx.
func (s *Store) DeleteTargetRow(ctx context.Context, id string) error {
	return s.deleteRow(ctx, "occupancy_targets", id)
}
