package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// figureCache keeps the results of the costly per-park reads (the stack plan of a day, the units
// and leases occupancy is computed from) under the park's version (migration 0016), which every
// write that could change them raises in its own transaction. A result is used only while the
// park's version is unchanged, so no process serves a figure older than the park's last write,
// whoever made it. The least recently used results go first.
type figureCache struct {
	mu      sync.Mutex
	entries map[figureKey]*figureEntry
	clock   uint64 // use counter for the least-recently-used order
}

type figureKey struct {
	kind, parkID, detail string
	version              int64
}

type figureEntry struct {
	value   any
	lastUse uint64
}

// maxFigures bounds the cache: a stack plan or a park's occupancy rows of the largest parks are
// a few megabytes each.
const maxFigures = 48

func (c *figureCache) get(k figureKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	c.clock++
	e.lastUse = c.clock
	return e.value, true
}

func (c *figureCache) put(k figureKey, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[figureKey]*figureEntry{}
	}
	for old := range c.entries { // a park's older versions are of no more use
		if old.kind == k.kind && old.parkID == k.parkID && old.version < k.version {
			delete(c.entries, old)
		}
	}
	if len(c.entries) >= maxFigures {
		var oldest figureKey
		var at uint64
		for key, e := range c.entries {
			if at == 0 || e.lastUse < at {
				oldest, at = key, e.lastUse
			}
		}
		delete(c.entries, oldest)
	}
	c.clock++
	c.entries[k] = &figureEntry{value: v, lastUse: c.clock}
}

// parkVersion is the park's current version (0 for a park the table does not know yet).
func (s *Store) parkVersion(ctx context.Context, parkID string) (int64, error) {
	var v int64
	err := s.read(ctx).queryRow(ctx, `SELECT version FROM park_versions WHERE park_id = ?`, parkID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// cachedFigure answers from the cache while the park's version is unchanged, or computes the
// value, keeps it under the version read before computing (a write that lands meanwhile
// raises the version, so the next call computes again) and returns it. copyOut gives each
// caller its own copy, so no caller can change what the next one reads.
func cachedFigure[T any](ctx context.Context, s *Store, kind, parkID, detail string, compute func() (T, error), copyOut func(T) T) (T, error) {
	if _, ok := s.openTx(ctx); ok {
		// Inside a transaction the figure may count writes not yet committed, under a version
		// a rollback would hand out again: it is neither taken from the cache nor kept.
		return compute()
	}
	version, err := s.parkVersion(ctx, parkID)
	if err != nil {
		var zero T
		return zero, err
	}
	key := figureKey{kind: kind, parkID: parkID, detail: detail, version: version}
	if v, ok := s.figures.get(key); ok {
		return copyOut(v.(T)), nil
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	s.figures.put(key, v)
	return copyOut(v), nil
}
