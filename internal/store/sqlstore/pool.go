package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/pool"
)

const poolCols = `e.park_id, p.code, p.name_zh, p.district, e.entered_on, e.tier, e.tier_since, e.updated_at,
	(SELECT COUNT(*) FROM pool_recognitions r WHERE r.park_id = e.park_id)`

func scanPoolEntry(r scanner) (pool.Entry, int, error) {
	var e pool.Entry
	var featured int
	err := r.Scan(&e.ParkID, &e.ParkCode, &e.ParkName, &e.District, &e.EnteredOn, &e.Tier, &e.TierSince, &e.UpdatedAt, &featured)
	e.FeaturedYears = []int{}
	return e, featured, err
}

// ListPool lists pooled parks in the caller's scope (park staff: their own parks).
func (s *Store) ListPool(ctx context.Context, sc identity.Scope, f pool.Filter, req page.Request) (page.Page[pool.Entry], error) {
	l := listQuery[pool.Entry]{
		selectFrom: "SELECT " + poolCols + " FROM pool_entries e JOIN parks p ON p.id = e.park_id",
		idExpr:     "e.park_id",
		sorts: []sortKey[pool.Entry]{
			{"entered_on", "e.entered_on", func(e pool.Entry) any { return e.EnteredOn.String() }},
		},
		scan: byValue(func(r *sql.Rows) (pool.Entry, error) { e, _, err := scanPoolEntry(r); return e, err }),
		id:   func(e pool.Entry) string { return e.ParkID },
	}
	cond, args := parkScope(sc, "e.park_id", false)
	l.filter(cond, args...)
	if f.Tier != "" {
		l.filter("e.tier = ?", f.Tier)
	}
	if f.District != "" {
		l.filter("p.district = ?", f.District)
	}
	if f.FeaturedYear != 0 {
		l.filter("EXISTS (SELECT 1 FROM pool_recognitions r WHERE r.park_id = e.park_id AND r.year = ?)", f.FeaturedYear)
	}
	if f.Q != "" {
		l.filter(`(lower(p.name_zh) LIKE ? ESCAPE '\' OR lower(p.code) LIKE ? ESCAPE '\')`, likeContains(f.Q), likeContains(f.Q))
	}
	pg, err := l.run(ctx, s.read(ctx), req)
	if err != nil {
		return pg, err
	}
	return pg, s.fillRecognitions(ctx, s.read(ctx), pg.Items)
}

// fillRecognitions reads the featured years of the entries.
func (s *Store) fillRecognitions(ctx context.Context, c conn, entries []pool.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	at := map[string]int{}
	ids := make([]any, len(entries))
	for i, e := range entries {
		at[e.ParkID], ids[i] = i, e.ParkID
	}
	rows, err := c.query(ctx, `SELECT park_id, year FROM pool_recognitions WHERE park_id IN (`+bindParams(len(ids))+`) ORDER BY year`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var park string
		var year int
		if err := rows.Scan(&park, &year); err != nil {
			return err
		}
		entries[at[park]].FeaturedYears = append(entries[at[park]].FeaturedYears, year)
	}
	return rows.Err()
}

// GetPoolEntry reads one pooled park with its tier history, in the caller's scope.
func (s *Store) GetPoolEntry(ctx context.Context, sc identity.Scope, parkID string) (pool.Entry, error) {
	return s.poolEntry(ctx, s.read(ctx), sc, parkID)
}

// LockPoolEntry locks a pooled park's entry and reads it, in the transaction of ctx.
func (s *Store) LockPoolEntry(ctx context.Context, sc identity.Scope, parkID string) (pool.Entry, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return pool.Entry{}, err
	}
	if s.eng.RowLocks {
		if _, err := c.exec(ctx, `SELECT park_id FROM pool_entries WHERE park_id = ? FOR UPDATE`, parkID); err != nil {
			return pool.Entry{}, err
		}
	}
	return s.poolEntry(ctx, c, sc, parkID)
}

func (s *Store) poolEntry(ctx context.Context, c conn, sc identity.Scope, parkID string) (pool.Entry, error) {
	cond, args := parkScope(sc, "e.park_id", false)
	e, _, err := scanPoolEntry(c.queryRow(ctx, "SELECT "+poolCols+` FROM pool_entries e JOIN parks p ON p.id = e.park_id
		WHERE e.park_id = ? AND `+cond, append([]any{parkID}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("入库园区", "pooled park")
	}
	if err != nil {
		return e, err
	}
	entries := []pool.Entry{e}
	if err := s.fillRecognitions(ctx, c, entries); err != nil {
		return e, err
	}
	e = entries[0]
	rows, err := c.query(ctx, `SELECT id, park_id, tier, effective_on, reason, created_at FROM pool_tier_changes
		WHERE park_id = ? ORDER BY effective_on, created_at, id`, parkID)
	if err != nil {
		return e, err
	}
	defer rows.Close()
	for rows.Next() {
		var t pool.TierChange
		if err := rows.Scan(&t.ID, &t.ParkID, &t.Tier, &t.EffectiveOn, &t.Reason, &t.CreatedAt); err != nil {
			return e, err
		}
		e.History = append(e.History, t)
	}
	return e, rows.Err()
}

// InsertPoolEntry enters a park the caller may see into the pool with its first tier
// decision, in the transaction of ctx. A park already in the pool is a conflict.
func (s *Store) InsertPoolEntry(ctx context.Context, sc identity.Scope, n pool.NewEntry) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := s.checkParentPark(ctx, c, sc, n.ParkID); err != nil {
		return err
	}
	now := s.now()
	_, err = c.exec(ctx, `INSERT INTO pool_entries (park_id, entered_on, tier, tier_since, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, n.ParkID, n.EnteredOn, n.Tier, n.EnteredOn, now, now)
	if err := s.constraintError(err, "park_id", "该园区已入库", "this park is already in the pool"); err != nil {
		return err
	}
	return s.InsertTierChange(ctx, n.ParkID, pool.TierDecision{Tier: n.Tier, EffectiveOn: n.EnteredOn, Reason: n.Reason})
}

// InsertTierChange records a tier decision and makes it the entry's tier, in the transaction
// of ctx (the entry is locked by the caller).
func (s *Store) InsertTierChange(ctx context.Context, parkID string, d pool.TierDecision) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	if _, err := c.exec(ctx, `INSERT INTO pool_tier_changes (id, park_id, tier, effective_on, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		newID(), parkID, d.Tier, d.EffectiveOn, d.Reason, now); err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE pool_entries SET tier = ?, tier_since = ?, updated_at = ? WHERE park_id = ?`, d.Tier, d.EffectiveOn, now, parkID)
	return err
}

// InsertRecognition records a featured-park recognition, in the transaction of ctx.
func (s *Store) InsertRecognition(ctx context.Context, parkID string, year int) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `INSERT INTO pool_recognitions (park_id, year) VALUES (?, ?)`, parkID, year); err != nil {
		return s.constraintError(err, "year", "该年度已认定", "already recognised for this year")
	}
	_, err = c.exec(ctx, `UPDATE pool_entries SET updated_at = ? WHERE park_id = ?`, s.now(), parkID)
	return err
}

// ParkIDByCode finds a park the caller may see by its code.
func (s *Store) ParkIDByCode(ctx context.Context, sc identity.Scope, code string) (string, bool, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		c = s.read(ctx)
	}
	cond, args := parkScope(sc, "p.id", false)
	var id string
	err = c.queryRow(ctx, "SELECT p.id FROM parks p WHERE p.code = ? AND "+cond, append([]any{code}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return id, err == nil, err
}
