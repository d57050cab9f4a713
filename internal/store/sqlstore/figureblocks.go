package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/stats"
)

// blockKeys are park_figure_blocks' sum columns, in order: one per stats.Measures entry, then
// one per count measure (migration 0028).
var blockKeys = func() []string {
	var keys []string
	for _, m := range stats.Measures {
		keys = append(keys, m.Key)
	}
	for _, c := range indicator.Counts {
		keys = append(keys, c.Key)
	}
	return keys
}()

var blockCols = strings.Join(blockKeys, ", ")

// StaleFigureYears are the park-years of the years asked (every year when none is), of parks in
// the caller's scope, whose blocks were computed at an older version than the park-year's
// (migration 0026) or never.
func (s *Store) StaleFigureYears(ctx context.Context, sc identity.Scope, years []int) ([]indicator.FigureYear, error) {
	cond, args := parkScope(sc, "park_id", false)
	if len(years) > 0 {
		cond, args = "year IN ("+bindParams(len(years))+") AND "+cond, append(anySlice(years), args...)
	}
	rows, err := s.read(ctx).query(ctx, `SELECT park_id, year, version FROM park_figure_years
		WHERE computed_version < version AND `+cond+` ORDER BY year, park_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []indicator.FigureYear
	for rows.Next() {
		var fy indicator.FigureYear
		if err := rows.Scan(&fy.ParkID, &fy.Year, &fy.Version); err != nil {
			return nil, err
		}
		out = append(out, fy)
	}
	return out, rows.Err()
}

// SaveFigureBlocks keeps a park-year's blocks computed at version, in the transaction of ctx,
// unless blocks of that version or a newer one are kept already (another process computed
// them meanwhile). The park-year's row is locked by the update, so writers that raise its
// version wait, and the next read sees either the old version or these blocks.
func (s *Store) SaveFigureBlocks(ctx context.Context, fy indicator.FigureYear, blocks []indicator.Block) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE park_figure_years SET computed_version = ? WHERE park_id = ? AND year = ? AND computed_version < ?`,
		fy.Version, fy.ParkID, fy.Year, fy.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM park_figure_blocks WHERE park_id = ? AND year = ?`, fy.ParkID, fy.Year); err != nil {
		return err
	}
	q := `INSERT INTO park_figure_blocks (park_id, year, complete, in_leading, enterprises, ` + blockCols + `) VALUES (?, ?, ?, ?, ?, ` + bindParams(len(blockKeys)) + `)`
	for _, b := range blocks {
		args := []any{fy.ParkID, fy.Year, b.Complete, b.Leading, b.Enterprises}
		for _, k := range blockKeys {
			if v, ok := b.Sums[k]; ok {
				args = append(args, v)
			} else {
				args = append(args, nil)
			}
		}
		if _, err := c.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// FigureBlocks are the kept blocks of the years asked for the parks in the caller's scope, by
// year and park.
func (s *Store) FigureBlocks(ctx context.Context, sc identity.Scope, years []int) (map[int]map[string][]indicator.Block, error) {
	out := map[int]map[string][]indicator.Block{}
	if len(years) == 0 {
		return out, nil
	}
	cond, args := parkScope(sc, "park_id", false)
	rows, err := s.read(ctx).query(ctx, `SELECT park_id, year, complete, in_leading, enterprises, `+blockCols+` FROM park_figure_blocks
		WHERE year IN (`+bindParams(len(years))+`) AND `+cond, append(anySlice(years), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]sql.NullInt64, len(blockKeys))
	for rows.Next() {
		var park string
		var year int
		var b indicator.Block
		dest := []any{&park, &year, &b.Complete, &b.Leading, &b.Enterprises}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		b.Sums = make(stats.Figures, len(vals))
		for i, k := range blockKeys {
			if vals[i].Valid {
				b.Sums[k] = vals[i].Int64
			}
		}
		if out[year] == nil {
			out[year] = map[string][]indicator.Block{}
		}
		out[year][park] = append(out[year][park], b)
	}
	return out, rows.Err()
}

// ForgetFigureBlocks marks every park-year's blocks as never computed, in the transaction of
// ctx, adding the park-years with reports the table lacks: the next read computes them all.
func (s *Store) ForgetFigureBlocks(ctx context.Context) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `INSERT INTO park_figure_years (park_id, year, version, computed_version)
		SELECT DISTINCT r.park_id, p.year, 1, 0 FROM reports r JOIN report_periods p ON p.id = r.period_id
		ON CONFLICT (park_id, year) DO NOTHING`); err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE park_figure_years SET computed_version = 0`)
	return err
}
