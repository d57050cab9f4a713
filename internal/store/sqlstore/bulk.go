package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// maxParams keeps each multi-row INSERT under both engines' bound-parameter limits.
const maxParams = 30_000

// Bulk writes generated rows straight into tables inside one transaction. It skips the
// per-row rules and the audit trail, so only the system scope may use it (parkos gen), and
// the generator is responsible for producing valid rows.
type Bulk struct {
	ctx context.Context
	c   conn
	raw *sql.Conn // the transaction's connection, where the engine copies rows in (CopyIn)
	// record, in a queued load, collects the writes to run later instead of running them.
	record *[]func(b *Bulk) error
}

// BulkLoad runs fn in one write transaction.
func (s *Store) BulkLoad(ctx context.Context, sc identity.Scope, fn func(b *Bulk) error) error {
	if sc.Role != identity.Admin || sc.UserID != "" {
		return forbidden()
	}
	if s.eng.CopyIn == nil {
		return s.write(ctx, func(c conn) error { return fn(&Bulk{ctx: ctx, c: c}) })
	}
	// COPY needs the driver's own connection, so the transaction is begun on one held here.
	raw, err := s.eng.Writer.Conn(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	began := time.Now()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		s.observeTx(TxFailed, began)
		return err
	}
	// Should fn panic, the transaction must end before raw.Close, which waits for it.
	defer func() { _ = tx.Rollback() }()
	return s.endTx(tx, began, fn(&Bulk{ctx: ctx, c: conn{s: s, db: tx}, raw: raw}))
}

// BulkQueue writes bulk loads, each in its own transaction, on goroutines of its own while the
// caller prepares the next: parkos gen's work and the database's overlap, and on PostgreSQL
// several loads are written at once, one per connection (a load's writes are one server
// process's work). Loads must not depend on each other, and the rows handed to a queued load
// must not change afterwards.
type BulkQueue struct {
	loads   chan queuedLoad
	done    chan struct{}
	writers int
	mu      sync.Mutex
	first   error // the first load that failed; the loads after it are not written
}

type queuedLoad struct {
	label string
	steps []func(b *Bulk) error
}

// NewBulkQueue starts a queue holding at most depth loads not yet written, written by as many
// writers as the engine can run side by side (one on SQLite, whose writer is single).
func (s *Store) NewBulkQueue(ctx context.Context, sc identity.Scope, depth, writers int) (*BulkQueue, error) {
	if sc.Role != identity.Admin || sc.UserID != "" {
		return nil, forbidden()
	}
	if s.eng.CopyIn == nil {
		writers = 1
	}
	writers = max(writers, 1)
	q := &BulkQueue{loads: make(chan queuedLoad, depth), done: make(chan struct{}, writers), writers: writers}
	for range writers {
		go func() {
			for load := range q.loads {
				if q.failure() != nil {
					continue // drained, so a sender never blocks
				}
				err := s.BulkLoad(ctx, sc, func(b *Bulk) error {
					for _, step := range load.steps {
						if err := step(b); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					q.mu.Lock()
					q.first = cmp.Or(q.first, fmt.Errorf("%s: %w", load.label, err))
					q.mu.Unlock()
				}
			}
			q.done <- struct{}{}
		}()
	}
	return q, nil
}

func (q *BulkQueue) failure() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.first
}

// Load runs fn now against a Bulk that records its writes, and queues them; label names the
// load in a failure. It returns a queued load's failure instead once there is one.
func (q *BulkQueue) Load(label string, fn func(b *Bulk) error) error {
	if err := q.failure(); err != nil {
		return err
	}
	var steps []func(b *Bulk) error
	if err := fn(&Bulk{record: &steps}); err != nil {
		return fmt.Errorf("%s: %w", label, err)
	}
	q.loads <- queuedLoad{label, steps}
	return nil
}

// Close waits until every queued load is written and returns the first failure.
func (q *BulkQueue) Close() error {
	close(q.loads)
	for range q.writers {
		<-q.done
	}
	return q.failure()
}

// Insert writes rows (each with len(cols) values) into table: copied in where the engine can,
// else with multi-row statements.
func (b *Bulk) Insert(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if b.record != nil {
		*b.record = append(*b.record, func(b *Bulk) error {
			if err := b.Insert(table, cols, rows); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			return nil
		})
		return nil
	}
	if b.raw != nil {
		return b.raw.Raw(func(driverConn any) error { return b.c.s.eng.CopyIn(b.ctx, driverConn, table, cols, rows) })
	}
	per := max(1, maxParams/len(cols))
	row := "(" + bindParams(len(cols)) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var q strings.Builder
		q.WriteString(head)
		args := make([]any, 0, (end-start)*len(cols))
		for i, r := range rows[start:end] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(row)
			args = append(args, r...)
		}
		if _, err := b.c.db.ExecContext(b.ctx, b.c.s.bulkText(q.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// bulkText rebinds bind parameters without caching: bulk statements are many and used once.
func (s *Store) bulkText(q string) string {
	if !s.eng.NumberedParams {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + len(q)/4)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for n >= 10 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	buf[i] = byte('0' + n)
	return string(buf[i:])
}

// GeneratedSet is one run of parkos gen.
type GeneratedSet struct {
	ID, Scale string
	Seed      int64
	Finished  bool
}

// StartGeneratedSet records that a synthetic data set is being written; it refuses a database
// that already holds parks, so generated rows never mix with real ones.
func (s *Store) StartGeneratedSet(ctx context.Context, sc identity.Scope, scale string, seed int64) (string, error) {
	if sc.Role != identity.Admin || sc.UserID != "" {
		return "", forbidden()
	}
	id := newID()
	err := s.write(ctx, func(c conn) error {
		if err := s.dropUnfinishedSet(ctx, c); err != nil {
			return err
		}
		var parks int
		if err := c.queryRow(ctx, `SELECT count(*) FROM parks`).Scan(&parks); err != nil {
			return err
		}
		if parks > 0 {
			return conflict("数据库中已有园区数据，合成数据只能写入空数据库", "the database already has parks; generate into an empty database")
		}
		_, err := c.exec(ctx, `INSERT INTO generated_sets (id, scale, seed, started_at) VALUES (?, ?, ?, ?)`, id, scale, seed, s.now())
		return err
	})
	return id, err
}

// generatedTables are the tables a generated set writes, children first.
var generatedTables = []string{"policy_disbursements", "policy_application_notes", "policy_documents", "policy_applications", "policy_matches",
	"policy_parks", "policies", "policy_stale", "enterprise_year_facts", "event_registrations", "event_invitations", "events", "payment_allocations", "payments", "bill_lines", "bills", "bill_counters", "park_billing_settings", "service_requests", "bookings", "facility_resources", "pool_recognitions", "pool_tier_changes", "pool_entries", "park_attributes", "park_submissions",
	"reports", "period_enterprises", "report_periods", "occupancy_targets", "holds",
	"lead_activities", "leads", "contract_units", "contracts", "api_tokens", "sessions", "user_parks", "users",
	"qualifications", "residency_units", "residencies", "enterprise_chain_nodes", "enterprise_tags", "enterprises",
	"unit_change_links", "unit_changes", "unit_neighbours", "unit_versions", "units", "floors", "buildings", "zones", "park_chain_nodes"}

// dropUnfinishedSet removes what a killed run of parkos gen left behind, so the next run starts
// on an empty database instead of being refused (and /readyz answering 503 for good). It acts
// only when the one set recorded is unfinished: generated data is then the database's only data.
func (s *Store) dropUnfinishedSet(ctx context.Context, c conn) error {
	var unfinished, finished int
	if err := c.queryRow(ctx, `SELECT count(*) FILTER (WHERE finished_at IS NULL), count(*) FILTER (WHERE finished_at IS NOT NULL)
		FROM generated_sets`).Scan(&unfinished, &finished); err != nil {
		return err
	}
	if unfinished == 0 || finished > 0 {
		return nil
	}
	for _, t := range generatedTables {
		if _, err := c.exec(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("clearing the unfinished generated set (%s): %w", t, err)
		}
	}
	for _, q := range []string{`DELETE FROM chain_nodes WHERE chain_id IN (SELECT id FROM chains WHERE park_id IS NOT NULL)`,
		`DELETE FROM chains WHERE park_id IS NOT NULL`, `DELETE FROM parks`, `DELETE FROM generated_sets`} {
		if _, err := c.exec(ctx, q); err != nil {
			return fmt.Errorf("clearing the unfinished generated set: %w", err)
		}
	}
	return nil
}

// FinishGeneratedSet marks the set complete. On PostgreSQL it then gathers the planner's
// statistics, which a bulk load leaves empty until autovacuum comes round: without them the
// planner guesses a park has a dozen leases and joins them by a full scan.
func (s *Store) FinishGeneratedSet(ctx context.Context, sc identity.Scope, id string) error {
	if sc.Role != identity.Admin || sc.UserID != "" {
		return forbidden()
	}
	err := s.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, `UPDATE generated_sets SET finished_at = ? WHERE id = ?`, s.now(), id)
		return err
	})
	if err != nil || s.eng.Name != "postgres" {
		return err
	}
	_, err = s.eng.Writer.ExecContext(ctx, "ANALYZE")
	return err
}

// IncompleteGeneratedSet returns a generated set that was started and never finished, if any:
// the server reports such a database as not ready instead of serving partial data silently.
func (s *Store) IncompleteGeneratedSet(ctx context.Context) (GeneratedSet, bool, error) {
	var g GeneratedSet
	err := s.read(ctx).queryRow(ctx, `SELECT id, scale, seed FROM generated_sets WHERE finished_at IS NULL`).Scan(&g.ID, &g.Scale, &g.Seed)
	if errors.Is(err, sql.ErrNoRows) {
		return g, false, nil
	}
	return g, err == nil, err
}

// Ready is nil when the database answers and no generated data set was left half-written;
// a set left so is "unavailable" until gen runs again.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	set, incomplete, err := s.IncompleteGeneratedSet(ctx)
	if err != nil || !incomplete {
		return err
	}
	return apperr.New(apperr.Unavailable, "合成数据集（"+set.Scale+"）未写完：请在空数据库上重新运行 parkos gen",
		"the generated "+set.Scale+" data set is incomplete: run parkos gen again on an empty database")
}

// ForgetStaleFacts empties the matcher's list of changed enterprises: a generator that writes
// the enterprises' years and matches itself leaves nothing for the matcher to judge again.
func (b *Bulk) ForgetStaleFacts() error {
	if b.record != nil {
		*b.record = append(*b.record, (*Bulk).ForgetStaleFacts)
		return nil
	}
	_, err := b.c.db.ExecContext(b.ctx, `DELETE FROM policy_stale`)
	return err
}
