package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/parkos/parkos/internal/jsonw"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
)

// owners says which park and enterprise a recorded object belongs to, so the trail can be
// filtered and scoped by them.
func owners(v any) (parkID, enterpriseID string) {
	switch o := v.(type) {
	case space.Park:
		return o.ID, ""
	case space.Zone:
		return o.ParkID, ""
	case space.Building:
		return o.ParkID, ""
	case space.Floor:
		return o.ParkID, ""
	case space.Unit:
		return o.ParkID, ""
	case []space.Unit:
		if len(o) > 0 {
			return o[0].ParkID, ""
		}
	case enterprise.Enterprise:
		return o.ParkID, o.ID
	case enterprise.Residency:
		return o.ParkID, o.EnterpriseID
	case enterprise.Qualification:
		return "", o.EnterpriseID
	case pool.Entry:
		return o.ParkID, ""
	case goals.Goal:
		return o.ParkID, ""
	case indicator.Submission:
		return o.ParkID, ""
	case indicator.Attribute:
		return o.ParkID, ""
	case identity.User:
		if len(o.ParkIDs) > 0 {
			return o.ParkIDs[0], o.EnterpriseID // filed under the first park it works in
		}
		return "", o.EnterpriseID
	case leasing.Contract:
		return o.ParkID, o.EnterpriseID
	case leasing.Lead:
		return o.ParkID, o.EnterpriseID
	case leasing.Hold:
		return o.ParkID, ""
	case leasing.Target:
		return o.ParkID, ""
	case stats.Period:
		return o.ParkID, ""
	case stats.Report:
		return o.ParkID, o.EnterpriseID
	case booking.Resource:
		return o.ParkID, ""
	case booking.Booking:
		return o.ParkID, o.EnterpriseID
	case booking.Certificate:
		return o.ParkID, o.EnterpriseID
	case booking.ParkHoliday:
		return o.ParkID, ""
	case billing.RunRecord:
		return o.ParkID, ""
	case billing.Bill:
		return o.ParkID, o.EnterpriseID
	case policy.Policy:
		return o.OwnerParkID, ""
	case policy.Application:
		return o.ParkID, o.EnterpriseID
	case policy.Annex:
		return o.ParkID, o.EnterpriseID
	case event.Event:
		return o.ParkID, ""
	case event.Registration:
		return o.ParkID, o.EnterpriseID
	case billing.Payment:
		return o.ParkID, o.EnterpriseID
	case billing.SettlementRecord:
		return o.ParkID, o.EnterpriseID
	case billing.LateFeeRecord:
		return o.ParkID, o.EnterpriseID
	case billing.InvoiceRecord:
		return o.ParkID, o.EnterpriseID
	case billing.SettingsRecord:
		return o.ParkID, ""
	case billing.InvoiceDetails:
		return "", o.EnterpriseID
	case servicedesk.Ticket:
		return o.ParkID, o.EnterpriseID
	case servicedesk.Note:
		return o.ParkID, o.EnterpriseID
	case servicedesk.ParkSetting:
		return o.ParkID, ""
	case servicedesk.Provider:
		return o.ParkID, ""
	case servicedesk.Offering:
		return o.ParkID, ""
	case servicedesk.Category:
		return o.ParkID, ""
	case notify.Webhook:
		return o.ParkID, ""
	}
	return "", ""
}

func jsonOrNil(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if a, ok := v.(jsonw.Appender); ok && jsonw.Appends(v) {
		return string(a.AppendJSON(nil)), nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// encodeAloneBelow is the size of a batch of changes encoded on one goroutine; larger ones
// (an import's 400 reports, each before and after) are shared among the cores.
const encodeAloneBelow = 64

// encodeChanges is each change's before and after as JSON (nil for none), in order.
func encodeChanges(batch []audit.Change) ([][2]any, error) {
	out := make([][2]any, len(batch))
	encode := func(part []audit.Change, into [][2]any) error {
		for i, ch := range part {
			b, err := jsonOrNil(ch.Before)
			if err != nil {
				return err
			}
			a, err := jsonOrNil(ch.After)
			if err != nil {
				return err
			}
			into[i] = [2]any{b, a}
		}
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), len(batch)/encodeAloneBelow)
	if workers <= 1 {
		return out, encode(batch, out)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		from, to := w*len(batch)/workers, (w+1)*len(batch)/workers
		wg.Go(func() { errs[w] = encode(batch[from:to], out[from:to]) })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// record appends one entry to the audit trail inside the caller's transaction, so a change
// and its record land together or not at all.
func (s *Store) record(ctx context.Context, c conn, sc identity.Scope, action, entity, id string, before, after any) error {
	return s.recordAll(ctx, c, sc, []audit.Change{{Action: action, Entity: entity, ID: id, Before: before, After: after}})
}

// auditRowsPerInsert bounds one multi-row INSERT: 13 values a row stay far below both engines'
// limits on bind parameters.
const auditRowsPerInsert = 400

// auditRow is one audit entry's 13 column values, in insertAudit's order.
type auditRow [13]any

// recordAll adds the entries of many changes to the trail. Inside a write transaction they
// wait in its pending trail and are written several rows to a statement (pendingAudit); the
// demo's load made 2,621 one-row inserts, a sixth of its time. Elsewhere they are written now.
func (s *Store) recordAll(ctx context.Context, c conn, sc identity.Scope, changes []audit.Change) error {
	source := sc.Source
	if source == "" {
		source = "system"
	}
	at := s.now()
	encoded, err := encodeChanges(changes)
	if err != nil {
		return err
	}
	rows := make([]auditRow, len(changes))
	for i, ch := range changes {
		parkID, entID := owners(ch.After)
		if parkID == "" && entID == "" {
			parkID, entID = owners(ch.Before)
		}
		rows[i] = auditRow{newID(), at, sc.UserID, sc.Username, string(sc.Role), source, ch.Action, ch.Entity, ch.ID,
			nullable(parkID), nullable(entID), encoded[i][0], encoded[i][1]}
	}
	if c.tx != nil {
		return c.tx.audit.add(ctx, c, rows)
	}
	return insertAudit(ctx, c, rows)
}

// auditStatementRows are the numbers of rows an audit INSERT writes, largest first: a few
// statement texts, each prepared once, however many entries a transaction leaves.
var auditStatementRows = []int{auditRowsPerInsert, 64, 8, 1}

// insertAudit writes rows, as few statements of auditStatementRows rows as it takes.
func insertAudit(ctx context.Context, c conn, rows []auditRow) error {
	for len(rows) > 0 {
		n := auditStatementRows[len(auditStatementRows)-1]
		for _, size := range auditStatementRows {
			if size <= len(rows) {
				n = size
				break
			}
		}
		batch := rows[:n]
		rows = rows[len(batch):]
		args := make([]any, 0, len(auditRow{})*len(batch))
		for _, r := range batch {
			args = append(args, r[:]...)
		}
		row := "(" + bindParams(len(auditRow{})) + ")"
		if _, err := c.exec(ctx, `INSERT INTO audit_log (id, at, user_id, username, role, source, action, entity, entity_id, park_id,
			enterprise_id, before_json, after_json) VALUES `+strings.Repeat(row+", ", len(batch)-1)+row, args...); err != nil {
			return err
		}
	}
	return nil
}

// pendingAudit is the trail a write transaction has recorded and not yet written, one list
// for the transaction and one for each savepoint open inside it. A savepoint that fails drops
// its list (what it had written is undone with it); one that succeeds hands its list to the one
// around it. A list is written when it reaches auditRowsPerInsert rows, in the savepoint it
// belongs to, and the transaction's before it commits, so entries land with their changes or
// not at all, and memory stays bounded however long the transaction. Once writing the trail
// or ending a savepoint has failed, the transaction cannot commit: a caller that goes on after
// the error would otherwise commit changes whose entries were lost.
type pendingAudit struct {
	levels [][]auditRow
	broken error
}

// add queues rows in the innermost list, writing the list once it is full.
func (p *pendingAudit) add(ctx context.Context, c conn, rows []auditRow) error {
	if p.broken != nil {
		return p.broken
	}
	if len(p.levels) == 0 {
		p.levels = append(p.levels, nil)
	}
	top := len(p.levels) - 1
	p.levels[top] = append(p.levels[top], rows...)
	if len(p.levels[top]) < auditRowsPerInsert {
		return nil
	}
	return p.flush(ctx, c)
}

// flush writes the innermost list.
func (p *pendingAudit) flush(ctx context.Context, c conn) error {
	if len(p.levels) == 0 {
		return nil
	}
	top := len(p.levels) - 1
	if err := insertAudit(ctx, c, p.levels[top]); err != nil {
		return p.fail(err)
	}
	p.levels[top] = nil
	return nil
}

// finish writes what the transaction still holds, before it commits.
func (p *pendingAudit) finish(ctx context.Context, c conn) error {
	if p.broken != nil {
		return p.broken
	}
	if len(p.levels) > 1 {
		return p.fail(fmt.Errorf("sqlstore: %d savepoints still open at commit", len(p.levels)-1))
	}
	return p.flush(ctx, c)
}

// fail keeps the transaction from committing, and returns err.
func (p *pendingAudit) fail(err error) error {
	if p.broken == nil {
		p.broken = err
	}
	return err
}

// open starts the list of a savepoint.
func (p *pendingAudit) open() {
	if len(p.levels) == 0 {
		p.levels = append(p.levels, nil)
	}
	p.levels = append(p.levels, nil)
}

// close ends the innermost savepoint's list: kept, it joins the list around it (written once
// that is full); dropped, it is forgotten.
func (p *pendingAudit) close(ctx context.Context, c conn, keep bool) error {
	top := len(p.levels) - 1
	rows := p.levels[top]
	p.levels = p.levels[:top]
	if !keep {
		return nil
	}
	return p.add(ctx, c, rows)
}

// auditScope: administrators and the authority read the whole trail, park managers the
// changes in their parks, tenant administrators those of their enterprise; others nothing.
func auditScope(sc identity.Scope) (string, []any, bool) {
	switch {
	case sc.AllParks():
		return "1=1", nil, true
	case sc.Role == identity.ParkManager && len(sc.ParkIDs) > 0:
		return "a.park_id IN (" + bindParams(len(sc.ParkIDs)) + ")", anySlice(sc.ParkIDs), true
	case sc.Role == identity.EntAdmin:
		return "a.enterprise_id = ?", []any{sc.EnterpriseID}, true
	}
	return "", nil, false
}

// CanReadAudit reports whether the caller may open the audit trail at all.
func CanReadAudit(sc identity.Scope) bool { _, _, ok := auditScope(sc); return ok }

// ListAudit lists audit entries, newest first by default.
func (s *Store) ListAudit(ctx context.Context, sc identity.Scope, f audit.Filter, req page.Request) (page.Page[audit.Entry], error) {
	cond, args, ok := auditScope(sc)
	if !ok {
		return page.Page[audit.Entry]{}, forbidden()
	}
	if req.Sort == "" {
		req.Desc = true
	}
	l := listQuery[audit.Entry]{
		selectFrom: `SELECT a.id, a.at, a.user_id, a.username, a.role, a.source, a.action, a.entity, a.entity_id, a.park_id,
			a.enterprise_id, a.before_json, a.after_json FROM audit_log a`,
		idExpr: "a.id",
		sorts:  []sortKey[audit.Entry]{{"at", "a.at", func(e audit.Entry) any { return e.At }}},
		scan: func(r *sql.Rows, e *audit.Entry) error {
			var before, after sql.NullString
			err := r.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.Role, &e.Source, &e.Action, &e.Entity, &e.EntityID,
				nullString{&e.ParkID}, nullString{&e.EnterpriseID}, &before, &after)
			if before.Valid {
				e.Before = json.RawMessage(before.String)
			}
			if after.Valid {
				e.After = json.RawMessage(after.String)
			}
			return err
		},
		id: func(e audit.Entry) string { return e.ID },
	}
	l.filter(cond, args...)
	for _, eq := range []struct{ col, v string }{{"a.entity", f.Entity}, {"a.entity_id", f.EntityID}, {"a.user_id", f.UserID},
		{"a.action", f.Action}, {"a.park_id", f.ParkID}} {
		if eq.v != "" {
			l.filter(eq.col+" = ?", eq.v)
		}
	}
	if !f.From.IsZero() {
		l.filter("a.at >= ?", f.From.Time().UTC())
	}
	if !f.To.IsZero() {
		l.filter("a.at < ?", f.To.AddDays(1).Time().UTC())
	}
	// The trail a transaction has recorded is written as it commits, so the trail is read from
	// what is committed, even inside a transaction.
	return l.run(ctx, conn{s: s, db: s.eng.Reader, prepare: true}, req)
}

// Record writes an audit entry in the transaction of ctx, for writes a service composes.
func (s *Store) Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.record(ctx, c, sc, action, entity, id, before, after)
}

// RecordAll writes the entries of many changes in the transaction of ctx.
func (s *Store) RecordAll(ctx context.Context, sc identity.Scope, changes []audit.Change) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.recordAll(ctx, c, sc, changes)
}
