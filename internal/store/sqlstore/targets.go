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
	rows, err := s.read().query(ctx, `SELECT id, park_id, metric, basis_points, by_date, note FROM occupancy_targets
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

// CreateTarget sets a target for a park the caller manages.
func (s *Store) CreateTarget(ctx context.Context, sc identity.Scope, t leasing.Target) (leasing.Target, error) {
	if err := t.Validate(); err != nil {
		return t, err
	}
	t.ID = newID()
	err := s.write(ctx, func(c conn) error {
		if err := s.checkParentPark(ctx, c, sc, t.ParkID, sc.CanEditSpace()); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO occupancy_targets (id, park_id, metric, basis_points, by_date, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, t.ParkID, t.Metric, t.BasisPoints, t.ByDate, t.Note, s.now()); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "create", "target", t.ID, nil, t)
	})
	return t, err
}

// DeleteTarget removes a target.
func (s *Store) DeleteTarget(ctx context.Context, sc identity.Scope, id string) error {
	return s.write(ctx, func(c conn) error {
		var t leasing.Target
		err := c.queryRow(ctx, `SELECT id, park_id, metric, basis_points, by_date FROM occupancy_targets WHERE id = ?`, id).
			Scan(&t.ID, &t.ParkID, &t.Metric, &t.BasisPoints, &t.ByDate)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.HasPark(t.ParkID)) {
			return notFound("目标", "target")
		}
		if err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace()); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM occupancy_targets WHERE id = ?`, id); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "delete", "target", id, t, nil)
	})
}
