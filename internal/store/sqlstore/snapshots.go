package sqlstore

import (
	"context"
	"database/sql"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
)

// OccupancySnapshots are the kept month-end figures of the parks in the caller's scope, with
// each park's version now.
func (s *Store) OccupancySnapshots(ctx context.Context, sc identity.Scope) ([]leasing.ParkSnapshot, error) {
	cond, args := parkScope(sc, "v.park_id", false)
	rows, err := s.read(ctx).query(ctx, `SELECT v.park_id, v.version, o.version, o.first_month, o.data
		FROM park_versions v LEFT JOIN occupancy_snapshots o ON o.park_id = v.park_id WHERE `+cond+` ORDER BY v.park_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []leasing.ParkSnapshot
	for rows.Next() {
		var p leasing.ParkSnapshot
		var version sql.NullInt64
		var first sql.NullString
		if err := rows.Scan(&p.ParkID, &p.ParkVersion, &version, &first, &p.Data); err != nil {
			return nil, err
		}
		if version.Valid {
			p.Version = version.Int64
			if p.First, err = civil.Parse(first.String + "-01"); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SaveOccupancySnapshot keeps a park's month-end figures computed at its version, unless figures
// of a newer version are kept already; in the transaction of ctx.
func (s *Store) SaveOccupancySnapshot(ctx context.Context, p leasing.ParkSnapshot) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO occupancy_snapshots (park_id, version, first_month, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (park_id) DO UPDATE SET version = excluded.version, first_month = excluded.first_month, data = excluded.data
		WHERE occupancy_snapshots.version <= excluded.version`, p.ParkID, p.Version, p.First.String()[:7], p.Data)
	return err
}

// ForgetOccupancySnapshots drops every park's kept month-end figures, in the transaction of ctx.
func (s *Store) ForgetOccupancySnapshots(ctx context.Context) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `DELETE FROM occupancy_snapshots`)
	return err
}
