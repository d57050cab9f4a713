package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/jsonw"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/stats"
)

const periodCols = `p.id, p.park_id, p.kind, p.year, p.seq, p.start_on, p.end_on, p.deadline, p.closed, p.created_at`

// measureCols are the reports table's figure columns, one per stats.Measures entry, in order.
var measureCols = func() string {
	keys := make([]string, len(stats.Measures))
	for i, m := range stats.Measures {
		keys[i] = "r." + m.Key
	}
	return strings.Join(keys, ", ")
}()

const reportHead = `r.id, r.period_id, r.enterprise_id, r.park_id, r.status, `
const reportTail = `, r.confirmed_json, r.return_reason, r.submissions, r.submitted_at, r.reviewed_at, r.updated_at`

func periodNotFound() error { return notFound("报告期", "reporting period") }
func reportNotFound() error { return notFound("统计报表", "report") }

// periodScope: operators see their parks' periods and the authority's; an enterprise sees the
// periods it is asked to file for.
func periodScope(sc identity.Scope) (string, []any) {
	switch {
	case sc.AllParks():
		return "1=1", nil
	case sc.Role.IsOperator():
		cond, args := parkScope(sc, "p.park_id", false)
		return "(p.park_id IS NULL OR " + cond + ")", args
	case sc.Role.IsEnterprise():
		return "EXISTS (SELECT 1 FROM period_enterprises pe WHERE pe.period_id = p.id AND pe.enterprise_id = ?)", []any{sc.EnterpriseID}
	}
	return "1=0", nil
}

// reportScope: operators see reports of their parks' enterprises, an enterprise its own.
func reportScope(sc identity.Scope) (string, []any) {
	if sc.Role.IsEnterprise() {
		return "r.enterprise_id = ?", []any{sc.EnterpriseID}
	}
	return parkScope(sc, "r.park_id", false)
}

func scanPeriod(r scanner) (stats.Period, error) {
	p := stats.Period{EnterpriseIDs: []string{}}
	err := r.Scan(&p.ID, nullString{&p.ParkID}, &p.Kind, &p.Year, &p.Seq, &p.StartOn, &p.EndOn, &p.Deadline, &p.Closed, &p.CreatedAt)
	return p, err
}

func scanReport(r scanner) (stats.Report, error) {
	var rp stats.Report
	vals := make([]sql.NullInt64, len(stats.Measures))
	var confirmed string
	var submitted, reviewed sql.NullTime
	dest := []any{&rp.ID, &rp.PeriodID, &rp.EnterpriseID, &rp.ParkID, &rp.Status}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	dest = append(dest, &confirmed, &rp.ReturnReason, &rp.Submissions, &submitted, &reviewed, &rp.UpdatedAt)
	if err := r.Scan(dest...); err != nil {
		return rp, err
	}
	rp.Figures = stats.Figures{}
	for i, m := range stats.Measures {
		if vals[i].Valid {
			rp.Figures[m.Key] = vals[i].Int64
		}
	}
	rp.SubmittedAt, rp.ReviewedAt = submitted.Time, reviewed.Time
	if err := json.Unmarshal([]byte(confirmed), &rp.Confirmed); err != nil {
		return rp, err
	}
	if rp.Confirmed == nil {
		rp.Confirmed = []string{}
	}
	return rp, nil
}

// ListPeriods lists the reporting periods in the caller's scope, newest first.
func (s *Store) ListPeriods(ctx context.Context, sc identity.Scope, f stats.PeriodFilter, req page.Request) (page.Page[stats.Period], error) {
	l := listQuery[stats.Period]{
		selectFrom: "SELECT " + periodCols + " FROM report_periods p",
		idExpr:     "p.id",
		sorts: []sortKey[stats.Period]{
			{"end_on", "p.end_on", func(p stats.Period) any { return p.EndOn.String() }},
			{"deadline", "p.deadline", func(p stats.Period) any { return p.Deadline.String() }},
		},
		scan: byValue(func(r *sql.Rows) (stats.Period, error) { return scanPeriod(r) }),
		id:   func(p stats.Period) string { return p.ID },
	}
	if req.Sort == "" {
		req.Desc = true
	}
	cond, args := periodScope(sc)
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("p.park_id = ?", f.ParkID)
	}
	if f.Kind != "" {
		l.filter("p.kind = ?", f.Kind)
	}
	if f.Year != 0 {
		l.filter("p.year = ?", f.Year)
	}
	if !f.DeadlineFrom.IsZero() {
		l.filter("p.deadline >= ?", f.DeadlineFrom)
	}
	if !f.DeadlineTo.IsZero() {
		l.filter("p.deadline <= ?", f.DeadlineTo)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetPeriod returns one period without its member list.
func (s *Store) GetPeriod(ctx context.Context, sc identity.Scope, id string) (stats.Period, error) {
	return s.periodHead(ctx, s.read(ctx), sc, id)
}

// GetPeriodWithMembers returns one period with the enterprises in scope asked to file.
func (s *Store) GetPeriodWithMembers(ctx context.Context, sc identity.Scope, id string) (stats.Period, error) {
	return s.getPeriod(ctx, s.read(ctx), sc, id)
}

// periodHead reads a period without its member list, which can run to every enterprise of the
// city; the report workflow needs only the period's own columns.
func (s *Store) periodHead(ctx context.Context, c conn, sc identity.Scope, id string) (stats.Period, error) {
	cond, args := periodScope(sc)
	p, err := scanPeriod(c.queryRow(ctx, "SELECT "+periodCols+" FROM report_periods p WHERE p.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, periodNotFound()
	}
	return p, err
}

func (s *Store) getPeriod(ctx context.Context, c conn, sc identity.Scope, id string) (stats.Period, error) {
	p, err := s.periodHead(ctx, c, sc, id)
	if err != nil {
		return p, err
	}
	q, qargs := "SELECT enterprise_id FROM period_enterprises WHERE period_id = ? ORDER BY enterprise_id", []any{id}
	if sc.Role.IsEnterprise() {
		q, qargs = "SELECT enterprise_id FROM period_enterprises WHERE period_id = ? AND enterprise_id = ?", []any{id, sc.EnterpriseID}
	}
	rows, err := c.query(ctx, q, qargs...)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	p.EnterpriseIDs = []string{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return p, err
		}
		p.EnterpriseIDs = append(p.EnterpriseIDs, e)
	}
	return p, rows.Err()
}

// InsertPeriod opens a validated period in the transaction of ctx, with an empty draft report
// for every enterprise asked to file: those listed, else every enterprise kept by the park (or,
// for the authority's periods, by any park).
func (s *Store) InsertPeriod(ctx context.Context, sc identity.Scope, p stats.Period) (stats.Period, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return p, err
	}
	if p.ParkID != "" {
		if err := s.checkParentPark(ctx, c, sc, p.ParkID); err != nil {
			return p, err
		}
	}
	p.ID, p.CreatedAt, p.Closed = newID(), s.now(), false
	members, err := s.periodMembers(ctx, c, p)
	if err != nil {
		return p, err
	}
	_, err = c.exec(ctx, `INSERT INTO report_periods (id, park_id, kind, year, seq, start_on, end_on, deadline, closed, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, nullable(p.ParkID), p.Kind, p.Year, p.Seq, p.StartOn, p.EndOn, p.Deadline, false, p.CreatedAt)
	if err = s.constraintError(err, "seq", "该园区的这一报告期已开启", "this reporting period is already open for the park"); err != nil {
		return p, err
	}
	links, reports := make([][]any, 0, len(members)), make([][]any, 0, len(members))
	for entID, parkID := range members {
		links = append(links, []any{p.ID, entID})
		reports = append(reports, []any{newID(), p.ID, entID, parkID, stats.Draft, "[]", p.CreatedAt})
	}
	b := &Bulk{ctx: ctx, c: c}
	if err := b.Insert("period_enterprises", []string{"period_id", "enterprise_id"}, links); err != nil {
		return p, err
	}
	if err := b.Insert("reports", []string{"id", "period_id", "enterprise_id", "park_id", "status", "confirmed_json", "updated_at"}, reports); err != nil {
		return p, err
	}
	return s.getPeriod(ctx, c, sc, p.ID)
}

// periodMembers maps each enterprise asked to file to the park that keeps it.
func (s *Store) periodMembers(ctx context.Context, c conn, p stats.Period) (map[string]string, error) {
	q, args := "SELECT id, park_id FROM enterprises WHERE park_id IS NOT NULL", []any{}
	if p.ParkID != "" {
		q, args = q+" AND park_id = ?", append(args, p.ParkID)
	}
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	kept := map[string]string{}
	for rows.Next() {
		var id, park string
		if err := rows.Scan(&id, &park); err != nil {
			return nil, err
		}
		kept[id] = park
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(p.EnterpriseIDs) == 0 {
		return kept, nil
	}
	chosen := map[string]string{}
	for _, id := range p.EnterpriseIDs {
		park, ok := kept[id]
		if !ok {
			return nil, fieldErr("enterprise_ids", "not_found", "企业不存在或不属于该园区："+id, "no such enterprise in the park: "+id)
		}
		chosen[id] = park
	}
	return chosen, nil
}

// ListReports lists reports in the caller's scope.
func (s *Store) ListReports(ctx context.Context, sc identity.Scope, f stats.ReportFilter, req page.Request) (page.Page[stats.Report], error) {
	l := listQuery[stats.Report]{
		selectFrom: "SELECT " + reportHead + measureCols + reportTail + " FROM reports r",
		idExpr:     "r.id",
		sorts: []sortKey[stats.Report]{
			{"updated_at", "r.updated_at", func(r stats.Report) any { return r.UpdatedAt }},
			{"status", "r.status", func(r stats.Report) any { return string(r.Status) }},
		},
		scan: byValue(func(r *sql.Rows) (stats.Report, error) { return scanReport(r) }),
		id:   func(r stats.Report) string { return r.ID },
	}
	cond, args := reportScope(sc)
	l.filter(cond, args...)
	if f.PeriodID != "" {
		l.filter("r.period_id = ?", f.PeriodID)
	}
	if f.ParkID != "" {
		l.filter("r.park_id = ?", f.ParkID)
	}
	if f.EnterpriseID != "" {
		l.filter("r.enterprise_id = ?", f.EnterpriseID)
	}
	if f.Status != "" {
		l.filter("r.status = ?", f.Status)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetReport returns one report.
func (s *Store) GetReport(ctx context.Context, sc identity.Scope, id string) (stats.Report, error) {
	return s.getReport(ctx, s.read(ctx), sc, id)
}

func (s *Store) getReport(ctx context.Context, c conn, sc identity.Scope, id string) (stats.Report, error) {
	cond, args := reportScope(sc)
	r, err := scanReport(c.queryRow(ctx, "SELECT "+reportHead+measureCols+reportTail+" FROM reports r WHERE r.id = ? AND "+cond,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, reportNotFound()
	}
	return r, err
}

// PreviousFigures returns the same enterprise's figures for the period of the same kind just
// before the report's, preferring an approved report, or nil when there is none.
func (s *Store) PreviousFigures(ctx context.Context, sc identity.Scope, r stats.Report) (stats.Figures, error) {
	return s.previousFigures(ctx, s.read(ctx), sc, r)
}

// previousFiguresOf returns, by enterprise, the figures filed for the period before p,
// preferring approved reports, among the reports matching cond: one query serves a whole
// import as well as a single report.
func (s *Store) previousFiguresOf(ctx context.Context, c conn, p stats.Period, cond string, args ...any) (map[string]stats.Figures, error) {
	year, seq := p.Previous()
	rows, err := c.query(ctx, "SELECT "+reportHead+measureCols+reportTail+` FROM reports r
		JOIN report_periods p ON p.id = r.period_id
		WHERE p.kind = ? AND p.year = ? AND p.seq = ? AND r.status <> 'draft' AND `+cond+`
		ORDER BY CASE r.status WHEN 'approved' THEN 0 ELSE 1 END, r.updated_at DESC`, append([]any{p.Kind, year, seq}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]stats.Figures{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		if _, seen := out[r.EnterpriseID]; !seen {
			out[r.EnterpriseID] = r.Figures
		}
	}
	return out, rows.Err()
}

// previousFigures is one report's previous-period figures as the caller may see them, or nil.
func (s *Store) previousFigures(ctx context.Context, c conn, sc identity.Scope, r stats.Report) (stats.Figures, error) {
	p, err := s.periodHead(ctx, c, identity.System(), r.PeriodID)
	if err != nil {
		return nil, err
	}
	cond, args := reportScope(sc)
	byEnterprise, err := s.previousFiguresOf(ctx, c, p, "r.enterprise_id = ? AND "+cond, append([]any{r.EnterpriseID}, args...)...)
	return byEnterprise[r.EnterpriseID], err
}

// reportColumns are the columns a save writes, in the order reportArgs gives their values,
// with their PostgreSQL types for a VALUES list (whose bind parameters have no type of their own
// there).
var reportColumns = func() [][2]string {
	cols := make([][2]string, 0, len(stats.Measures)+7)
	for _, m := range stats.Measures {
		cols = append(cols, [2]string{m.Key, "BIGINT"})
	}
	return append(cols, [2]string{"status", "TEXT"}, [2]string{"confirmed_json", "TEXT"}, [2]string{"return_reason", "TEXT"},
		[2]string{"submissions", "INTEGER"}, [2]string{"submitted_at", "TIMESTAMPTZ"}, [2]string{"reviewed_at", "TIMESTAMPTZ"},
		[2]string{"updated_at", "TIMESTAMPTZ"})
}()

// updateReport writes every measure and the review state of one report.
var updateReport = func() string {
	sets := make([]string, len(reportColumns))
	for i, c := range reportColumns {
		sets[i] = c[0] + " = ?"
	}
	return "UPDATE reports SET " + strings.Join(sets, ", ") + " WHERE id = ?"
}()

// reportArgs are a report's values for reportColumns, then its id.
func reportArgs(args []any, r stats.Report) []any {
	for _, m := range stats.Measures {
		if v, ok := r.Figures[m.Key]; ok {
			args = append(args, v)
		} else {
			args = append(args, nil)
		}
	}
	return append(args, r.Status, string(jsonw.Strings(nil, r.Confirmed)), r.ReturnReason, r.Submissions, nullTime(r.SubmittedAt), nullTime(r.ReviewedAt), r.UpdatedAt, r.ID)
}

func (s *Store) saveReport(ctx context.Context, c conn, r stats.Report) error {
	_, err := c.exec(ctx, updateReport, reportArgs(make([]any, 0, len(reportColumns)+1), r)...)
	return err
}

// updateReports writes n reports in one statement: their values as a VALUES list joined to
// the table by id. Only the first row's parameters carry types; the rest take them from it.
func (s *Store) updateReports(n int) string {
	var q strings.Builder
	q.WriteString("WITH v (")
	for _, c := range reportColumns {
		q.WriteString(c[0] + ", ")
	}
	q.WriteString("id) AS (VALUES ")
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for j, c := range reportColumns {
			if j > 0 {
				q.WriteString(", ")
			}
			if i == 0 && s.eng.TypedValues {
				q.WriteString("CAST(? AS " + c[1] + ")")
			} else {
				q.WriteByte('?')
			}
		}
		q.WriteString(", ?)")
	}
	q.WriteString(") UPDATE reports SET ")
	for j, c := range reportColumns {
		if j > 0 {
			q.WriteString(", ")
		}
		q.WriteString(c[0] + " = v." + c[0])
	}
	q.WriteString(" FROM v WHERE reports.id = v.id")
	return q.String()
}

// LockReport locks a report's row and reads it in the caller's scope, with the head of its
// period, in the transaction of ctx.
func (s *Store) LockReport(ctx context.Context, sc identity.Scope, id string) (stats.Report, stats.Period, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return stats.Report{}, stats.Period{}, err
	}
	if err := s.lockRows(ctx, c, "reports", []string{id}); err != nil {
		return stats.Report{}, stats.Period{}, err
	}
	r, err := s.getReport(ctx, c, sc, id)
	if err != nil {
		return r, stats.Period{}, err
	}
	p, err := s.periodHead(ctx, c, identity.System(), r.PeriodID)
	return r, p, err
}

// PreviousFiguresIn is PreviousFigures in the transaction of ctx.
func (s *Store) PreviousFiguresIn(ctx context.Context, r stats.Report) (stats.Figures, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	return s.previousFigures(ctx, c, identity.System(), r)
}

// SaveReport writes a changed report in the transaction of ctx and reads it back.
func (s *Store) SaveReport(ctx context.Context, sc identity.Scope, r stats.Report) (stats.Report, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return r, err
	}
	r.UpdatedAt = s.now()
	if err := s.saveReport(ctx, c, r); err != nil {
		return r, err
	}
	return s.getReport(ctx, c, sc, r.ID)
}

// PeriodProgress counts the period's reports per park in the caller's scope.
func (s *Store) PeriodProgress(ctx context.Context, sc identity.Scope, periodID string, today civil.Date) ([]stats.Progress, error) {
	p, err := s.periodHead(ctx, s.read(ctx), sc, periodID)
	if err != nil {
		return nil, err
	}
	cond, args := reportScope(sc)
	rows, err := s.read(ctx).query(ctx, `SELECT r.park_id, r.status, COUNT(*) FROM reports r WHERE r.period_id = ? AND `+cond+`
		GROUP BY r.park_id, r.status ORDER BY r.park_id`, append([]any{periodID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stats.Progress
	late := today.After(p.Deadline)
	for rows.Next() {
		var park string
		var status stats.Status
		var n int
		if err := rows.Scan(&park, &status, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ParkID != park {
			out = append(out, stats.Progress{ParkID: park})
		}
		g := &out[len(out)-1]
		g.Total += n
		switch status {
		case stats.Draft:
			g.Draft += n
		case stats.Submitted:
			g.Submitted += n
		case stats.Returned:
			g.Returned += n
		case stats.Approved:
			g.Approved += n
		}
		if late && (status == stats.Draft || status == stats.Returned) {
			g.Late += n
		}
	}
	return out, rows.Err()
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// PeriodFilers lists the enterprises in the caller's scope that file in the period, with their
// credit codes, names and reports, by name.
func (s *Store) PeriodFilers(ctx context.Context, sc identity.Scope, periodID string) ([]stats.Filer, error) {
	return s.periodFilers(ctx, s.read(ctx), sc, periodID, true)
}

// periodFilers reads the period's reports with their enterprises, by name when ordered (an
// import looks them up by credit code and needs no order).
func (s *Store) periodFilers(ctx context.Context, c conn, sc identity.Scope, periodID string, ordered bool) ([]stats.Filer, error) {
	if _, err := s.periodHead(ctx, c, sc, periodID); err != nil {
		return nil, err
	}
	cond, args := reportScope(sc)
	q := "SELECT COALESCE(e.credit_code, ''), e.name, " + reportHead + measureCols + reportTail + ` FROM reports r
		JOIN enterprises e ON e.id = r.enterprise_id WHERE r.period_id = ? AND ` + cond
	if ordered {
		q += " ORDER BY e.name, e.id"
	}
	rows, err := c.query(ctx, q, append([]any{periodID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stats.Filer
	for rows.Next() {
		var f stats.Filer
		if f.Report, err = scanReport(prefixed{rows, []any{&f.CreditCode, &f.Name}}); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PeriodCreditCodes are the credit codes of the enterprises asked to file in the period, in the
// caller's scope.
func (s *Store) PeriodCreditCodes(ctx context.Context, sc identity.Scope, periodID string) ([]string, error) {
	c := s.read(ctx)
	if _, err := s.periodHead(ctx, c, sc, periodID); err != nil {
		return nil, err
	}
	cond, args := reportScope(sc)
	rows, err := c.query(ctx, `SELECT e.credit_code FROM reports r JOIN enterprises e ON e.id = r.enterprise_id
		WHERE r.period_id = ? AND e.credit_code IS NOT NULL AND `+cond, append([]any{periodID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// prefixed scans leading columns into first before the rest go to a report scanner.
type prefixed struct {
	r     scanner
	first []any
}

func (p prefixed) Scan(dest ...any) error { return p.r.Scan(append(p.first, dest...)...) }

// PeriodFilersIn is PeriodFilers in the transaction of ctx.
func (s *Store) PeriodFilersIn(ctx context.Context, sc identity.Scope, periodID string) ([]stats.Filer, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	return s.periodFilers(ctx, c, sc, periodID, false)
}

// PreviousFiguresOfPeriod are, by enterprise, the figures filed for the period before p, in the
// transaction of ctx.
func (s *Store) PreviousFiguresOfPeriod(ctx context.Context, p stats.Period) (map[string]stats.Figures, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	return s.previousFiguresOf(ctx, c, p, "1=1")
}

// LockSubmitted locks the submitted reports of a period in the caller's scope, in the
// transaction of ctx, and returns their ids.
func (s *Store) LockSubmitted(ctx context.Context, sc identity.Scope, periodID string) ([]string, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	cond, args := reportScope(sc)
	q := "SELECT r.id FROM reports r WHERE r.period_id = ? AND r.status = ? AND " + cond + " ORDER BY r.id"
	if s.eng.RowLocks {
		q += " FOR UPDATE"
	}
	rows, err := c.query(ctx, q, append([]any{periodID, stats.Submitted}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// reportRowsPerStatement is how many reports SaveReportRows writes in one statement.
const reportRowsPerStatement = 400

// SaveReportRows writes changed reports in the transaction of ctx without reading them back,
// many to a statement, for imports of many rows. It stamps and returns them.
func (s *Store) SaveReportRows(ctx context.Context, rs []stats.Report) ([]stats.Report, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for start := 0; start < len(rs); start += reportRowsPerStatement {
		batch := rs[start:min(start+reportRowsPerStatement, len(rs))]
		args := make([]any, 0, len(batch)*(len(reportColumns)+1))
		for i := range batch {
			batch[i].UpdatedAt = now
			args = reportArgs(args, batch[i])
		}
		if _, err := c.exec(ctx, s.updateReports(len(batch)), args...); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

// LockPeriod locks a period's row and reads its head in the caller's scope.
func (s *Store) LockPeriod(ctx context.Context, sc identity.Scope, id string) (stats.Period, error) {
	return lockedRead(ctx, s, sc, "report_periods", id, s.periodHead)
}

// SavePeriodClosed records that a period is closed, in the transaction of ctx.
func (s *Store) SavePeriodClosed(ctx context.Context, sc identity.Scope, id string) (stats.Period, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return stats.Period{}, err
	}
	if _, err := c.exec(ctx, "UPDATE report_periods SET closed = ? WHERE id = ?", true, id); err != nil {
		return stats.Period{}, err
	}
	return s.periodHead(ctx, c, sc, id)
}
