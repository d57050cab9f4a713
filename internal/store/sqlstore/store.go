// Package sqlstore implements every domain store once, in portable SQL, over database/sql.
// The engine packages (sqlite, postgres) open the connections, supply their migrations and
// say how to recognise constraint errors; nothing else differs between engines.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
)

// Engine is what an engine package provides.
type Engine struct {
	Name       string  // "sqlite" or "postgres"
	Reader     *sql.DB // pool for reads
	Writer     *sql.DB // connection(s) for write transactions
	Migrations fs.FS   // NNNN_name.sql files
	// NumberedParams: the engine wants $1, $2… instead of ?.
	NumberedParams bool
	// TypedValues: bind parameters in a VALUES list need their types spelled out (PostgreSQL).
	TypedValues bool
	// IsUnique / IsForeignKey / Excluded classify constraint violations; the last is the
	// database's own refusal by the overlap rule named constraint: one unit let twice on a day
	// (contract_units_one_letting_per_day), one resource booked twice at once (bookings_no_overlap).
	IsUnique     func(error) bool
	IsForeignKey func(error) bool
	Excluded     func(err error, constraint string) bool
	// RowLocks: the engine supports SELECT … FOR UPDATE (PostgreSQL). SQLite needs none: its one
	// writer connection takes the write lock at BEGIN, so write transactions never interleave.
	RowLocks bool
	// Lock serialises migrations across processes (PostgreSQL advisory lock); may be nil.
	Lock func(ctx context.Context, tx *sql.Tx) error
	// Listen, where the engine can tell processes of each other's changes (PostgreSQL's
	// LISTEN/NOTIFY), listens on channel until ctx ends or the connection fails, calling ready
	// once listening and heard with each payload; nil for an engine used by one process.
	Listen func(ctx context.Context, channel string, ready func(), heard func(payload string)) error
	// CopyIn, where the engine has a bulk path (PostgreSQL's COPY), writes rows into table on
	// the driver connection sql.Conn.Raw lends; nil where bulk rows go as multi-row INSERTs.
	CopyIn func(ctx context.Context, driverConn any, table string, cols []string, rows [][]any) error
	// DeferCheckpoints: the engine folds a write-ahead log back inside the commit that fills
	// it (SQLite); a big transaction's commit leaves that for after (checkpoint.go).
	DeferCheckpoints bool
	// Backup copies the database to a new file at path, as the read transaction open on
	// driverConn (what sql.Conn.Raw lends) sees it. Only an engine whose database is one file
	// has it (SQLite); nil elsewhere.
	Backup func(driverConn any, path string) error
}

// Store is the data layer. Every exported method takes the caller's identity.Scope.
type Store struct {
	eng      Engine
	now      func() time.Time
	clock    civil.Clock
	rebound  sync.Map // query text → engine-specific text
	stmts    sync.Map // query text → *sql.Stmt prepared on the reader pool
	nStmts   atomic.Int64
	wstmts   sync.Map // engine text → *sql.Stmt prepared on the writer pool
	nWStmts  atomic.Int64
	wpending sync.Map // engine texts transactions met for the first time
	auth     authCache
	figures  figureCache
	observe  atomic.Pointer[func(query string, args []any)]
	// txObserve hears how each write transaction ended (the metrics).
	txObserve atomic.Pointer[func(TxOutcome, time.Duration)]
	// lost hears why the auth watcher lost its connection (the log).
	lost atomic.Pointer[func(error)]
	// stops end the background watchers (auth evictions, the replica's health); watching
	// counts those running.
	stops    []context.CancelFunc
	watching sync.WaitGroup
	// replica, when set, answers the plain reads of contexts that tolerate lag while replicaUp.
	replica      *sql.DB
	replicaUp    atomic.Bool
	replicaHeard atomic.Pointer[func(bool, error)]
	// checkpoints counts the deferred checkpoints not yet run; launchCheckpoint starts one
	// (on a goroutine; tests hold it back to look at the log first). Once closing is set, none
	// is added: a write that ends while the store closes checkpoints before it returns.
	checkpoints      sync.WaitGroup
	launchCheckpoint func(run func())
	closeMu          sync.Mutex
	closing          bool
}

// background runs fn until the store closes.
func (s *Store) background(fn func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	s.stops = append(s.stops, cancel)
	s.watching.Add(1)
	go func() { defer s.watching.Done(); fn(ctx) }()
}

// ObserveListenLoss calls fn when the connection that hears other processes' evictions fails;
// tokens are then resolved from the database on every request until it is back.
func (s *Store) ObserveListenLoss(fn func(error)) { s.lost.Store(&fn) }

// ObserveReads calls fn with the text and arguments of every read query from now on (nil
// stops): the query-plan test collects the queries each route runs and explains them.
func (s *Store) ObserveReads(fn func(query string, args []any)) {
	if fn == nil {
		s.observe.Store(nil)
		return
	}
	s.observe.Store(&fn)
}

// Explain is the engine's plan of a read query, one line per step: SQLite's EXPLAIN QUERY
// PLAN, or PostgreSQL's EXPLAIN with sequential scans priced out, so that a scan left in the
// plan is one no index can replace.
func (s *Store) Explain(ctx context.Context, query string, args ...any) ([]string, error) {
	tx, err := s.eng.Reader.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	prefix := "EXPLAIN QUERY PLAN "
	if s.eng.Name == "postgres" {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return nil, err
		}
		prefix = "EXPLAIN "
	}
	rows, err := tx.QueryContext(ctx, prefix+s.sqlText(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(vals[len(vals)-1])) // the detail column (SQLite) or the line (PostgreSQL)
	}
	return out, rows.Err()
}

// maxCachedStatements bounds the prepared-statement cache; list queries differ by filters and
// IN-list lengths, so the set of texts is finite but not tiny.
const maxCachedStatements = 4000

// New wraps an engine. The clock says which day "today" is in every rule and filter.
func New(eng Engine, clock civil.Clock) *Store {
	s := &Store{eng: eng, clock: clock, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		launchCheckpoint: func(run func()) { go run() }}
	if eng.Listen != nil {
		s.auth.bypass = true
		s.background(s.watchAuth)
	}
	return s
}

// Engine names the engine, for logs and tests.
func (s *Store) Engine() string { return s.eng.Name }

// Close closes the prepared statements and the connections.
func (s *Store) Close() error {
	for _, stop := range s.stops {
		stop()
	}
	s.watching.Wait()
	s.closeMu.Lock()
	s.closing = true
	s.closeMu.Unlock()
	s.checkpoints.Wait()
	s.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	err := s.eng.Reader.Close()
	if s.eng.Writer != s.eng.Reader {
		err = errors.Join(err, s.eng.Writer.Close())
	}
	if s.replica != nil {
		err = errors.Join(err, s.replica.Close())
	}
	return err
}

// Ping answers whether the database is reachable (/readyz).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.eng.Reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// sqlText turns the portable ? bind parameters into the engine's own, once per query text.
func (s *Store) sqlText(q string) string {
	if !s.eng.NumberedParams {
		return q
	}
	if v, ok := s.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inQuote = !inQuote
		}
		if c == '?' && !inQuote {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	s.rebound.Store(q, out)
	return out
}

// db is what both a pool and a transaction offer.
type db interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// conn runs portable SQL against a pool or a transaction.
type conn struct {
	s       *Store
	db      db
	prepare bool     // reuse prepared statements (the reader pool)
	tx      *txCache // statements prepared within this write transaction
}

// txCache prepares each statement text once per write transaction: an import runs the same
// UPDATE and audit INSERT for every row, and parsing them each time was a third of its cost.
type txCache struct {
	s     *Store
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	// committed run once the transaction has committed.
	committed []func()
	// changed counts the rows the transaction's statements changed.
	changed atomic.Int64
	// audit is the trail recorded and not yet written.
	audit pendingAudit
}

// stmt is q (engine text) ready in the transaction. A statement seen before is prepared once
// on the writer pool and bound to the transaction's connection, so it (and the triggers compiled
// into it) is parsed once per connection, not once per transaction: loading the demo spent a
// quarter of its time parsing. A new one is prepared in the transaction and noted, and the
// writer pool prepares it when the transaction is over (SQLite's writer pool has one
// connection, which the transaction holds until then).
func (t *txCache) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if shared, ok := t.s.wstmts.Load(q); ok {
		st = t.tx.StmtContext(ctx, shared.(*sql.Stmt))
	} else {
		var err error
		if st, err = t.tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		if t.s.nWStmts.Load() < maxCachedStatements {
			t.s.wpending.Store(q, true)
		}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *txCache) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err == nil {
		if n, nErr := res.RowsAffected(); nErr == nil {
			t.changed.Add(n)
		}
	}
	return res, err
}

// prepareNoted prepares on the writer pool the statements transactions noted as new.
func (s *Store) prepareNoted(ctx context.Context) {
	s.wpending.Range(func(k, _ any) bool {
		q := k.(string)
		s.wpending.Delete(q)
		if _, ok := s.wstmts.Load(q); ok || s.nWStmts.Load() >= maxCachedStatements {
			return true
		}
		if st, err := s.eng.Writer.PrepareContext(ctx, q); err == nil {
			if _, loaded := s.wstmts.LoadOrStore(q, st); loaded {
				st.Close()
			} else {
				s.nWStmts.Add(1)
			}
		}
		return true
	})
}

// stmt returns a prepared statement for a read query, preparing it once. Parsing was a sixth
// of the CPU time of a list request before statements were reused.
func (c conn) stmt(ctx context.Context, q string) *sql.Stmt {
	if v, ok := c.s.stmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if c.s.nStmts.Load() >= maxCachedStatements {
		return nil
	}
	st, err := c.s.eng.Reader.PrepareContext(ctx, c.s.sqlText(q))
	if err != nil {
		return nil // the plain path reports the error
	}
	if prev, loaded := c.s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	c.s.nStmts.Add(1)
	return st
}

func (c conn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if fn := c.s.observe.Load(); fn != nil {
		(*fn)(q, args)
	}
	if db := c.onReplica(ctx); db != nil {
		return db.QueryContext(ctx, c.s.sqlText(q), args...)
	}
	if c.prepare {
		if st := c.stmt(ctx, q); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	if c.tx != nil {
		st, err := c.tx.stmt(ctx, c.s.sqlText(q))
		if err != nil {
			return nil, err
		}
		return st.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, c.s.sqlText(q), args...)
}

func (c conn) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if fn := c.s.observe.Load(); fn != nil {
		(*fn)(q, args)
	}
	if db := c.onReplica(ctx); db != nil {
		return db.QueryRowContext(ctx, c.s.sqlText(q), args...)
	}
	if c.prepare {
		if st := c.stmt(ctx, q); st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	if c.tx != nil {
		if st, err := c.tx.stmt(ctx, c.s.sqlText(q)); err == nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return c.db.QueryRowContext(ctx, c.s.sqlText(q), args...)
}

func (c conn) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if c.tx != nil {
		return c.tx.exec(ctx, c.s.sqlText(q), args...)
	}
	return c.db.ExecContext(ctx, c.s.sqlText(q), args...)
}

// read is where a read of ctx runs: the transaction ctx carries (InTx or a batch), so that a
// service reading what it has just written in that transaction sees it, and otherwise the
// reader pool.
func (s *Store) read(ctx context.Context) conn {
	if c, ok := s.openTx(ctx); ok {
		return c
	}
	return conn{s: s, db: s.eng.Reader, prepare: true}
}

// openTx is the transaction of this store that ctx carries, if any.
func (s *Store) openTx(ctx context.Context) (conn, bool) {
	if b, ok := ctx.Value(batchKey{}).(*batch); ok && b.c.s == s {
		return b.c, true
	}
	if c, ok := ctx.Value(connKey{}).(conn); ok && c.s == s {
		return c, true
	}
	return conn{}, false
}

// write runs fn in one write transaction: all of it lands or none of it does. Inside a batch
// (writeBatch) or InTx it joins the transaction already open under a savepoint, so that a
// write that fails, or that its caller undoes on purpose (a dry run), undoes only itself.
func (s *Store) write(ctx context.Context, fn func(c conn) error) error {
	if c, ok := s.openTx(ctx); ok {
		return savepoint(ctx, c, fn)
	}
	began := time.Now()
	held, tx, err := s.beginWrite(ctx)
	if err != nil {
		s.observeTx(TxFailed, began)
		return err
	}
	var deferred bool
	defer func() {
		if deferred {
			s.checkpointLater(held) // which lets the connection go when it is done
			return
		}
		if held != nil {
			held.Close()
		}
		s.prepareNoted(context.WithoutCancel(ctx))
	}()
	// Should fn panic (a recovered handler bug), the transaction still ends: on SQLite it holds
	// the only writer connection, and every later write would wait for it for good.
	defer func() { _ = tx.Rollback() }()
	cache := &txCache{s: s, tx: tx, stmts: map[string]*sql.Stmt{}}
	c := conn{s: s, db: tx, tx: cache}
	err = fn(c)
	if err == nil {
		err = cache.audit.finish(ctx, c)
	}
	if err == nil {
		deferred, err = s.skipCheckpoint(ctx, cache)
	}
	if err = s.endTx(tx, began, err); err != nil {
		return err
	}
	for _, f := range cache.committed {
		f()
	}
	return nil
}

// beginWrite begins a write transaction. Where checkpoints may be deferred, its connection is
// held apart from the pool, so that a deferred checkpoint runs on it before any other writer
// has it (checkpoint.go).
func (s *Store) beginWrite(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	if !s.eng.DeferCheckpoints {
		tx, err := s.eng.Writer.BeginTx(ctx, nil)
		return nil, tx, err
	}
	held, err := s.eng.Writer.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := held.BeginTx(ctx, nil)
	if err != nil {
		held.Close()
		return nil, nil, err
	}
	return held, tx, nil
}

// endTx rolls tx back when its work failed, else commits it, and counts how it ended.
func (s *Store) endTx(tx *sql.Tx, began time.Time, err error) error {
	if err != nil {
		_ = tx.Rollback()
		s.observeTx(TxRolledBack, began)
		return err
	}
	if err := tx.Commit(); err != nil {
		s.observeTx(TxFailed, began)
		return err
	}
	s.observeTx(TxCommitted, began)
	return nil
}

// batchKey marks a context whose store writes join one open transaction.
type batchKey struct{}

type batch struct{ c conn }

// writeBatch runs fn in one write transaction in which every store method called with the
// context it is given joins that transaction. Each such call runs under its own savepoint, so
// a call refused by the rules (or by a constraint, which on PostgreSQL would otherwise abort
// the whole transaction) undoes only itself and the batch can go on to check the next row.
// An import uses this to apply every row through the same rules and audit as the API, all or
// nothing.
func (s *Store) writeBatch(ctx context.Context, fn func(ctx context.Context, c conn) error) error {
	return s.write(ctx, func(c conn) error {
		return fn(context.WithValue(ctx, batchKey{}, &batch{c: c}), c)
	})
}

// savepoint runs fn in the open transaction of c under a savepoint: should fn fail, what it
// wrote is undone and the transaction goes on (on PostgreSQL it would otherwise be aborted).
func savepoint(ctx context.Context, c conn, fn func(c conn) error) error {
	if _, err := c.db.ExecContext(ctx, "SAVEPOINT batch_step"); err != nil {
		return err
	}
	trail := &pendingAudit{} // a transaction of its own (c.tx) keeps the trail; none is recorded without one
	if c.tx != nil {
		trail = &c.tx.audit
	}
	trail.open()
	if err := fn(c); err != nil {
		_ = trail.close(ctx, c, false)
		// A savepoint that cannot be undone or ended leaves the transaction unable to commit.
		if _, rbErr := c.db.ExecContext(ctx, "ROLLBACK TO SAVEPOINT batch_step"); rbErr != nil {
			return trail.fail(errors.Join(err, rbErr))
		}
		if _, relErr := c.db.ExecContext(ctx, "RELEASE SAVEPOINT batch_step"); relErr != nil {
			return trail.fail(errors.Join(err, relErr))
		}
		return err
	}
	if _, err := c.db.ExecContext(ctx, "RELEASE SAVEPOINT batch_step"); err != nil {
		_ = trail.close(ctx, c, false)
		return trail.fail(err)
	}
	return trail.close(ctx, c, true)
}

// lockRows takes the row locks of a read-modify-write on PostgreSQL (SELECT … FOR UPDATE), in
// id order so that two writers locking overlapping sets never deadlock; a writer that waited
// reads the rows again afterwards and sees what the other committed. SQLite needs none: its one
// writer connection takes the write lock at BEGIN, so write transactions never interleave.
func (s *Store) lockRows(ctx context.Context, c conn, table string, ids []string) error {
	if !s.eng.RowLocks || len(ids) == 0 {
		return nil
	}
	rows, err := c.query(ctx, `SELECT id FROM `+table+` WHERE id IN (`+bindParams(len(ids))+`) ORDER BY id FOR UPDATE`, anySlice(ids)...)
	if err != nil {
		return err
	}
	return rows.Close()
}

// changedOne checks that a conditional update changed its row; otherwise another writer got
// there first and the caller's precondition no longer holds.
func changedOne(res sql.Result, err error, lost error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return lost
	}
	return nil
}

// constraintError turns a constraint violation into a field error a user can act on.
func (s *Store) constraintError(err error, field, zh, en string) error {
	if err == nil {
		return nil
	}
	if s.eng.IsUnique(err) {
		f := apperr.Fields{}
		f.Add(field, "duplicate", zh, en)
		e := f.Err().(*apperr.Error)
		e.Code = apperr.Conflict
		e.MessageZh, e.MessageEn = zh, en
		return e
	}
	return err
}

// nullable maps "" to NULL for optional references and unique optional codes.
func nullable(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// scanNullString reads an optional text column.
type nullString struct{ s *string }

func (n nullString) Scan(src any) error {
	var ns sql.NullString
	if err := ns.Scan(src); err != nil {
		return err
	}
	*n.s = ns.String
	return nil
}

// attachedList reads a list the database keeps on its row as comma-separated text (migrations
// 0017, 0019), in byte order whatever the engine and its collation; NULL is the empty list.
type attachedList struct{ xs *[]string }

func (a attachedList) Scan(src any) error {
	var ns sql.NullString
	if err := ns.Scan(src); err != nil {
		return err
	}
	*a.xs = []string{}
	if ns.String != "" {
		*a.xs = strings.Split(ns.String, ",")
		slices.Sort(*a.xs)
	}
	return nil
}

// bindParams returns "?, ?, ?": the bind parameters of n values.
func bindParams(n int) string {
	if n == 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// notFound is the single answer for missing and out-of-scope rows.
func notFound(zh, en string) error { return apperr.ErrNotFound(zh, en) }

func forbidden() error {
	return apperr.ErrForbidden()
}

func fieldErr(field, code, zh, en string) error {
	var f apperr.Fields
	f.Add(field, code, zh, en)
	return f.Err()
}

func conflict(zh, en string) error { return apperr.New(apperr.Conflict, zh, en) }

// connKey carries the transaction InTx opened through a context.
type connKey struct{}

func withConn(ctx context.Context, c conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// InTx runs fn in one write transaction: every store method fn calls with the context it is
// given joins it, and all of it lands or none of it does. Called inside InTx it joins the
// transaction already open, under a savepoint: a service that undoes its own work by returning
// an error (a dry run, a refused import) undoes only that, whoever called it.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.write(ctx, func(c conn) error { return fn(withConn(ctx, c)) })
}

// txConn is the transaction of ctx; the write primitives services compose run only inside one.
func (s *Store) txConn(ctx context.Context) (conn, error) {
	c, ok := ctx.Value(connKey{}).(conn)
	if !ok {
		return conn{}, errors.New("sqlstore: a write primitive was called outside InTx")
	}
	return c, nil
}

// lockedRead locks a row of table and reads it through get in the caller's scope, in the
// transaction of ctx: concurrent changes of one row queue, and each reads the one before it.
func lockedRead[T any](ctx context.Context, s *Store, sc identity.Scope, table, id string,
	get func(context.Context, conn, identity.Scope, string) (T, error)) (T, error) {
	var zero T
	c, err := s.txConn(ctx)
	if err != nil {
		return zero, err
	}
	if err := s.lockRows(ctx, c, table, []string{id}); err != nil {
		return zero, err
	}
	return get(ctx, c, sc, id)
}

// deleteRow removes a row of table in the transaction of ctx.
func (s *Store) deleteRow(ctx context.Context, table, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
	return err
}

// ownerOf reads the distribution key (park_id or enterprise_id) of the parent row a child row
// is about to be written under, so that the child carries it too (§14).
func ownerOf(ctx context.Context, c conn, table, column, id string) (string, error) {
	var owner string
	err := c.queryRow(ctx, `SELECT `+column+` FROM `+table+` WHERE id = ?`, id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("记录", "record")
	}
	return owner, err
}
