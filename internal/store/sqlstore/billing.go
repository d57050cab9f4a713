package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// CheckBillingPark resolves a park whose receivables the caller may see.
func (s *Store) CheckBillingPark(ctx context.Context, sc identity.Scope, parkID string) error {
	_, err := s.getPark(ctx, s.read(ctx), sc, parkID)
	return err
}

// LockBillingPark locks the park's row, in the transaction of ctx: a park's runs, payments and
// issues queue behind each other (SQLite's single writer already does).
func (s *Store) LockBillingPark(ctx context.Context, parkID string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.lockRows(ctx, c, "parks", []string{parkID})
}

// BillingContracts are a park's contracts but drafts, with their units.
func (s *Store) BillingContracts(ctx context.Context, parkID string) ([]leasing.Contract, error) {
	c := s.read(ctx)
	rows, err := c.query(ctx, `SELECT `+contractCols+` FROM contracts k WHERE k.park_id = ? AND k.status <> 'draft' ORDER BY k.id`, parkID)
	if err != nil {
		return nil, err
	}
	today := s.clock.Today()
	ks, err := collect(rows, func(r scanner) (leasing.Contract, error) { return scanContract(r, today) })
	if err != nil {
		return nil, err
	}
	idx := map[string]int{}
	for i, k := range ks {
		idx[k.ID] = i
	}
	urows, err := c.query(ctx, `SELECT cu.contract_id, cu.unit_id, cu.area, cu.from_on, cu.to_on FROM contract_units cu
		JOIN contracts k ON k.id = cu.contract_id WHERE k.park_id = ? AND k.status <> 'draft' ORDER BY cu.from_on, cu.unit_id`, parkID)
	if err != nil {
		return nil, err
	}
	defer urows.Close()
	for urows.Next() {
		var id string
		var u leasing.ContractUnit
		if err := urows.Scan(&id, &u.UnitID, &u.Area, &u.From, &u.To); err != nil {
			return nil, err
		}
		if i, ok := idx[id]; ok {
			ks[i].Units = append(ks[i].Units, u)
		}
	}
	return ks, urows.Err()
}

// BilledKeys are a park's billed lines summed by base key (a line and its adjustments), and
// for each contract the start of its latest period billed and when it was last billed.
func (s *Store) BilledKeys(ctx context.Context, parkID string) (map[string]billing.Billed, map[string]billing.Mark, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT l.line_key, l.adjusts, l.source, l.source_id, l.enterprise_id, l.charge_type, l.period_from,
		l.period_to, l.due_on, l.gross, b.created_at FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE l.park_id = ?`, parkID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out, marks := map[string]billing.Billed{}, map[string]billing.Mark{}
	for rows.Next() {
		var key string
		var adjusts sql.NullString
		var b billing.Billed
		var at time.Time
		if err := rows.Scan(&key, &adjusts, &b.Source, &b.SourceID, &b.Enterprise, &b.ChargeType, &b.From, &b.To, &b.DueOn, &b.Gross, &at); err != nil {
			return nil, nil, err
		}
		if b.Source == "contract" {
			m := marks[b.SourceID]
			if at.After(m.BilledAt) {
				m.BilledAt = at
			}
			if (b.ChargeType == "rent" || b.ChargeType == "property_fee") && b.From.After(m.LastFrom) {
				m.LastFrom = b.From
			}
			marks[b.SourceID] = m
		}
		base := key
		if adjusts.Valid {
			base = adjusts.String
		}
		prior, ok := out[base]
		if ok {
			prior.Gross += b.Gross
			if adjusts.Valid {
				prior.Adjustments++
			} else {
				b.Gross, b.Adjustments = prior.Gross, prior.Adjustments
				prior = b
			}
			out[base] = prior
			continue
		}
		if adjusts.Valid {
			b.Adjustments = 1
		}
		out[base] = b
	}
	return out, marks, rows.Err()
}

// UnbilledCharges are a park's facility and service charges no bill line bills yet.
func (s *Store) UnbilledCharges(ctx context.Context, parkID string) ([]booking.Charge, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT c.id, c.park_id, c.enterprise_id, c.source, c.source_id, c.amount, c.rule, c.charged_on, c.created_at
		FROM facility_charges c WHERE c.park_id = ? AND NOT EXISTS (SELECT 1 FROM bill_lines l WHERE l.source = c.source AND l.source_id = c.source_id)
		ORDER BY c.charged_on, c.id`, parkID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (booking.Charge, error) {
		var c booking.Charge
		return c, r.Scan(&c.ID, &c.ParkID, &c.EnterpriseID, &c.Source, &c.SourceID, &c.Amount, &c.Rule, &c.On, &c.CreatedAt)
	})
}

const lineCols = `l.id, l.bill_id, l.park_id, l.enterprise_id, l.line_key, l.source, l.source_id, l.charge_type, l.period_from, l.period_to,
	l.due_on, l.description, COALESCE(l.adjusts, ''), l.rate_bp, l.net, l.tax, l.gross, l.paid`

func scanLine(r scanner) (billing.Line, error) {
	var l billing.Line
	return l, r.Scan(&l.ID, &l.BillID, &l.ParkID, &l.EnterpriseID, &l.Key, &l.Source, &l.SourceID, &l.ChargeType, &l.From, &l.To,
		&l.DueOn, &l.Description, &l.Adjusts, &l.RateBP, &l.Net, &l.Tax, &l.Gross, &l.Paid)
}

// OverdueLines are a park's open rent and fee lines of issued bills, due before a day, of
// contracts with a late-fee rule, with their allocations and the fees billed on them.
func (s *Store) OverdueLines(ctx context.Context, parkID string, before civil.Date) ([]billing.Overdue, error) {
	c := s.read(ctx)
	// A late fee runs from the bill's due date: a charge billed late was not asked for sooner.
	rows, err := c.query(ctx, `SELECT `+strings.Replace(lineCols, "l.due_on", "b.due_on", 1)+`, f.rate_bp, f.grace_days, f.cap_bp,
		COALESCE((SELECT SUM(x.gross) FROM bill_lines x WHERE x.source = 'late_fee' AND x.source_id = l.id), 0)
		FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN contract_late_fees f ON f.contract_id = l.source_id
		WHERE l.park_id = ? AND l.source = 'contract' AND l.charge_type IN ('rent', 'property_fee') AND l.gross > 0
		AND b.status IN ('issued', 'partly_paid', 'paid') AND b.due_on < ? ORDER BY l.id`, parkID, before)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, func(r scanner) (billing.Overdue, error) {
		var o billing.Overdue
		l := &o.Line
		return o, r.Scan(&l.ID, &l.BillID, &l.ParkID, &l.EnterpriseID, &l.Key, &l.Source, &l.SourceID, &l.ChargeType, &l.From, &l.To,
			&l.DueOn, &l.Description, &l.Adjusts, &l.RateBP, &l.Net, &l.Tax, &l.Gross, &l.Paid, &o.Rule.RateBP, &o.Rule.GraceDays, &o.Rule.CapBP, &o.FeesBilled)
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := map[string]int{}
	for i, o := range out {
		at[o.Line.ID] = i
	}
	arows, err := c.query(ctx, `SELECT a.line_id, a.amount, a.paid_on FROM payment_allocations a JOIN bill_lines l ON l.id = a.line_id
		JOIN bills b ON b.id = l.bill_id WHERE l.park_id = ? AND l.source = 'contract' AND b.due_on < ? ORDER BY a.paid_on`, parkID, before)
	if err != nil {
		return nil, err
	}
	defer arows.Close()
	for arows.Next() {
		var a billing.Allocation
		if err := arows.Scan(&a.LineID, &a.Amount, &a.PaidOn); err != nil {
			return nil, err
		}
		if i, ok := at[a.LineID]; ok {
			out[i].Allocations = append(out[i].Allocations, a)
		}
	}
	// Lines paid in full before the day accrue nothing more than they did; keep those still
	// accruing or paid late.
	return out, arows.Err()
}

// TaxRates are the rates of a park: its own, else the defaults, by charge type.
func (s *Store) TaxRates(ctx context.Context, parkID string) (map[string]int, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT charge_type, rate_bp, park_id IS NULL FROM billing_tax_rates
		WHERE park_id IS NULL OR park_id = ? ORDER BY park_id IS NULL DESC`, parkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var t string
		var bp int
		var isDefault bool
		if err := rows.Scan(&t, &bp, &isDefault); err != nil {
			return nil, err
		}
		out[t] = bp // the park's own rows come last and win
	}
	return out, rows.Err()
}

// NextBillNumbers reserves n bill numbers of a park, in the transaction of ctx, and returns the
// park's code with the first.
func (s *Store) NextBillNumbers(ctx context.Context, parkID string, n int) (string, int, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return "", 0, err
	}
	if _, err := c.exec(ctx, `INSERT INTO bill_counters (park_id, next) VALUES (?, 1) ON CONFLICT (park_id) DO NOTHING`, parkID); err != nil {
		return "", 0, err
	}
	var first int
	if err := c.queryRow(ctx, `UPDATE bill_counters SET next = next + ? WHERE park_id = ? RETURNING next - ?`, n, parkID, n).Scan(&first); err != nil {
		return "", 0, err
	}
	var code string
	err = c.queryRow(ctx, `SELECT code FROM parks WHERE id = ?`, parkID).Scan(&code)
	return code, first, err
}

// InsertRun writes a run, in the transaction of ctx.
func (s *Store) InsertBillingRun(ctx context.Context, sc identity.Scope, r billing.RunResult) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO billing_runs (id, park_id, billing_date, bills, lines, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.ParkID, r.BillingDate, len(r.Bills), r.Lines, sc.Username, s.now())
	return err
}

var billLineCols = []string{"id", "bill_id", "park_id", "enterprise_id", "line_key", "source", "source_id", "charge_type", "period_from",
	"period_to", "due_on", "description", "adjusts", "rate_bp", "net", "tax", "gross", "paid"}

// InsertBill writes a bill and its lines, in the transaction of ctx; a line key billed already is
// a conflict, so nothing is billed twice whatever ran before.
func (s *Store) InsertBill(ctx context.Context, b billing.Bill) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	if _, err := c.exec(ctx, `INSERT INTO bills (id, number, park_id, enterprise_id, run_id, billing_date, due_on, status, net, tax, gross, paid,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`, b.ID, b.Number, b.ParkID, b.EnterpriseID, nullable(b.RunID),
		b.BillingDate, b.DueOn, b.Status, b.Net, b.Tax, b.Gross, now, now); err != nil {
		return err
	}
	for start := 0; start < len(b.Lines); start += 200 {
		chunk := b.Lines[start:min(start+200, len(b.Lines))]
		args := make([]any, 0, len(chunk)*len(billLineCols))
		for _, l := range chunk {
			args = append(args, l.ID, b.ID, b.ParkID, l.EnterpriseID, l.Key, l.Source, l.SourceID, l.ChargeType, l.From, l.To, l.DueOn,
				l.Description, nullable(l.Adjusts), l.RateBP, l.Net, l.Tax, l.Gross, l.Paid)
		}
		row := "(" + bindParams(len(billLineCols)) + ")"
		_, err := c.exec(ctx, `INSERT INTO bill_lines (`+strings.Join(billLineCols, ", ")+`) VALUES `+strings.Repeat(row+", ", len(chunk)-1)+row, args...)
		if s.eng.IsUnique(err) {
			return apperr.New(apperr.Conflict, "该费用已开出账单（另一次出账刚刚完成），请刷新", "these charges were just billed by another run; refresh")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// billScope: an enterprise's users see its bills once issued; staff their parks'; the
// authority every park's.
func billScope(sc identity.Scope) (string, []any) {
	if sc.Role.IsEnterprise() {
		return "(b.enterprise_id = ? AND b.status <> 'draft')", []any{sc.EnterpriseID}
	}
	return parkScope(sc, "b.park_id", false)
}

const billCols = `b.id, b.number, b.park_id, p.name_zh, b.enterprise_id, e.name, COALESCE(b.run_id, ''), b.billing_date, b.due_on, b.status,
	b.net, b.tax, b.gross, b.paid, b.issued_on, b.write_off_reason, b.created_at, b.updated_at`

const billFrom = ` FROM bills b JOIN parks p ON p.id = b.park_id JOIN enterprises e ON e.id = b.enterprise_id`

func scanBill(r scanner) (billing.Bill, error) {
	var b billing.Bill
	err := r.Scan(&b.ID, &b.Number, &b.ParkID, &b.ParkName, &b.EnterpriseID, &b.EnterpriseName, &b.RunID, &b.BillingDate, &b.DueOn, &b.Status,
		&b.Net, &b.Tax, &b.Gross, &b.Paid, &b.IssuedOn, &b.WriteOffReason, &b.CreatedAt, &b.UpdatedAt)
	b.Outstanding = b.Gross - b.Paid
	if b.Status == billing.WrittenOff || b.Status == billing.Draft {
		b.Outstanding = 0
	}
	return b, err
}

// ListBills lists bills in the caller's scope, by due date.
func (s *Store) ListBills(ctx context.Context, sc identity.Scope, f billing.Filter, req page.Request) (page.Page[billing.Bill], error) {
	cond, args := billScope(sc)
	where := []string{cond}
	for _, eq := range []struct{ col, v string }{{"b.park_id", f.ParkID}, {"b.enterprise_id", f.EnterpriseID}, {"b.status", string(f.Status)},
		{"b.run_id", f.RunID}} {
		if eq.v != "" {
			where, args = append(where, eq.col+" = ?"), append(args, eq.v)
		}
	}
	if !f.DueFrom.IsZero() {
		where, args = append(where, "b.due_on >= ?"), append(args, f.DueFrom)
	}
	if !f.DueTo.IsZero() {
		where, args = append(where, "b.due_on <= ?"), append(args, f.DueTo)
	}
	l := listQuery[billing.Bill]{
		selectFrom: "SELECT " + billCols + billFrom,
		idExpr:     "b.id",
		sorts: []sortKey[billing.Bill]{
			{"due_on", "b.due_on", func(b billing.Bill) any { return b.DueOn }},
			{"number", "b.number", func(b billing.Bill) any { return b.Number }},
		},
		scan: byValue(func(r *sql.Rows) (billing.Bill, error) { return scanBill(r) }),
		id:   func(b billing.Bill) string { return b.ID },
	}
	l.filter(strings.Join(where, " AND "), args...)
	return l.run(ctx, s.read(ctx), req)
}

func (s *Store) bill(ctx context.Context, c conn, sc identity.Scope, id string) (billing.Bill, error) {
	cond, args := billScope(sc)
	b, err := scanBill(c.queryRow(ctx, `SELECT `+billCols+billFrom+` WHERE b.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("账单", "bill")
	}
	if err != nil {
		return b, err
	}
	rows, err := c.query(ctx, `SELECT `+lineCols+` FROM bill_lines l WHERE l.bill_id = ? ORDER BY l.due_on, l.line_key`, id)
	if err != nil {
		return b, err
	}
	b.Lines, err = collect(rows, scanLine)
	return b, err
}

// GetBill reads a bill with its lines in the caller's scope.
func (s *Store) GetBill(ctx context.Context, sc identity.Scope, id string) (billing.Bill, error) {
	return s.bill(ctx, s.read(ctx), sc, id)
}

// LockBill locks a bill and reads it in the caller's scope, in the transaction of ctx.
func (s *Store) LockBill(ctx context.Context, sc identity.Scope, id string) (billing.Bill, error) {
	return lockedRead(ctx, s, sc, "bills", id, s.bill)
}

// SaveBill writes a bill's status, issue day and write-off reason, in the transaction of ctx.
func (s *Store) SaveBill(ctx context.Context, b billing.Bill) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	var issued any
	if !b.IssuedOn.IsZero() {
		issued = b.IssuedOn
	}
	_, err = c.exec(ctx, `UPDATE bills SET status = ?, issued_on = ?, write_off_reason = ?, updated_at = ? WHERE id = ?`,
		b.Status, issued, b.WriteOffReason, s.now(), b.ID)
	return err
}

// DeleteDraftBill deletes a draft bill and its lines, in the transaction of ctx.
func (s *Store) DeleteDraftBill(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM bill_lines WHERE bill_id = ? AND EXISTS (SELECT 1 FROM bills WHERE id = ? AND status = 'draft')`, id, id); err != nil {
		return err
	}
	res, err := c.exec(ctx, `DELETE FROM bills WHERE id = ? AND status = 'draft'`, id)
	return changedOne(res, err, conflict("只有草稿账单可以作废删除", "only a draft bill can be discarded"))
}

// SettleCredits marks a bill's negative lines paid in full, in the transaction of ctx.
func (s *Store) SettleCredits(ctx context.Context, billID string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `UPDATE bill_lines SET paid = gross WHERE bill_id = ? AND gross < 0`, billID); err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE bills SET paid = (SELECT COALESCE(SUM(paid), 0) FROM bill_lines WHERE bill_id = ?) WHERE id = ?`, billID, billID)
	return err
}

// OpenLines are an enterprise's open positive lines of a park's issued bills, oldest first.
func (s *Store) OpenLines(ctx context.Context, parkID, enterpriseID string) ([]billing.Line, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+lineCols+` FROM bill_lines l JOIN bills b ON b.id = l.bill_id
		WHERE l.enterprise_id = ? AND l.paid <> l.gross AND l.gross > 0 AND l.park_id = ? AND b.status IN ('issued', 'partly_paid')
		ORDER BY l.due_on, b.number, l.line_key`, enterpriseID, parkID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanLine)
}

const paymentCols = `y.id, y.park_id, y.enterprise_id, e.name, y.paid_on, y.amount, y.method, y.reference, y.unallocated, y.reversed_on,
	y.reversal_reason, y.created_by, y.created_at`

const paymentFrom = ` FROM payments y JOIN enterprises e ON e.id = y.enterprise_id`

func scanPayment(r scanner) (billing.Payment, error) {
	var p billing.Payment
	err := r.Scan(&p.ID, &p.ParkID, &p.EnterpriseID, &p.EnterpriseName, &p.PaidOn, &p.Amount, &p.Method, &p.Reference, &p.Unallocated,
		&p.ReversedOn, &p.ReversalReason, &p.CreatedBy, &p.CreatedAt)
	return p, err
}

// Credits are an enterprise's payments with money left in a park, oldest first.
func (s *Store) Credits(ctx context.Context, parkID, enterpriseID string) ([]billing.Payment, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE y.enterprise_id = ? AND y.park_id = ? AND y.unallocated > 0
		AND y.reversed_on IS NULL ORDER BY y.paid_on, y.id`, enterpriseID, parkID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPayment)
}

// InsertPayment writes a payment, in the transaction of ctx.
func (s *Store) InsertPayment(ctx context.Context, p billing.Payment) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO payments (id, park_id, enterprise_id, paid_on, amount, method, reference, unallocated, bank_row, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.ParkID, p.EnterpriseID, p.PaidOn, p.Amount, p.Method, p.Reference, p.Unallocated,
		nullable(p.BankRow), p.CreatedBy, s.now())
	if s.eng.IsUnique(err) {
		return apperr.New(apperr.Conflict, "该银行流水已导入", "this statement row was imported already")
	}
	return err
}

// Allocate sets part of a payment against a line, in the transaction of ctx: the payment's
// unallocated, the line's and its bill's paid move together.
func (s *Store) Allocate(ctx context.Context, a billing.Allocation) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	park, err := ownerOf(ctx, c, "payments", "park_id", a.PaymentID)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `INSERT INTO payment_allocations (id, payment_id, park_id, line_id, amount, paid_on) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.PaymentID, park, a.LineID, a.Amount, a.PaidOn); err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE payments SET unallocated = unallocated - ? WHERE id = ? AND unallocated >= ?`, a.Amount, a.PaymentID, a.Amount)
	if err := changedOne(res, err, conflict("付款余额不足", "the payment has not that much left")); err != nil {
		return err
	}
	res, err = c.exec(ctx, `UPDATE bill_lines SET paid = paid + ? WHERE id = ? AND paid + ? <= gross`, a.Amount, a.LineID, a.Amount)
	if err := changedOne(res, err, conflict("超过该明细未付金额", "more than is open on the line")); err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE bills SET paid = paid + ? WHERE id = (SELECT bill_id FROM bill_lines WHERE id = ?)`, a.Amount, a.LineID)
	return err
}

// RefreshBills sets bills' status from what is paid on them, in the transaction of ctx.
func (s *Store) RefreshBills(ctx context.Context, billIDs []string) error {
	if len(billIDs) == 0 {
		return nil
	}
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE bills SET status = CASE WHEN paid >= gross THEN 'paid' WHEN paid > 0 THEN 'partly_paid' ELSE 'issued' END,
		updated_at = ? WHERE id IN (`+bindParams(len(billIDs))+`) AND status IN ('issued', 'partly_paid', 'paid')`, append([]any{s.now()}, anySlice(billIDs)...)...)
	return err
}

// paymentScope: an enterprise's users see its payments; staff their parks'.
func paymentScope(sc identity.Scope) (string, []any) {
	if sc.Role.IsEnterprise() {
		return "y.enterprise_id = ?", []any{sc.EnterpriseID}
	}
	return parkScope(sc, "y.park_id", false)
}

// ListPayments lists payments in the caller's scope, newest first by default.
func (s *Store) ListPayments(ctx context.Context, sc identity.Scope, f billing.Filter, req page.Request) (page.Page[billing.Payment], error) {
	cond, args := paymentScope(sc)
	where := []string{cond}
	for _, eq := range []struct{ col, v string }{{"y.park_id", f.ParkID}, {"y.enterprise_id", f.EnterpriseID}} {
		if eq.v != "" {
			where, args = append(where, eq.col+" = ?"), append(args, eq.v)
		}
	}
	l := listQuery[billing.Payment]{
		selectFrom: "SELECT " + paymentCols + paymentFrom,
		idExpr:     "y.id",
		sorts: []sortKey[billing.Payment]{
			{"paid_on", "y.paid_on", func(p billing.Payment) any { return p.PaidOn }},
		},
		scan: byValue(func(r *sql.Rows) (billing.Payment, error) { return scanPayment(r) }),
		id:   func(p billing.Payment) string { return p.ID },
	}
	l.filter(strings.Join(where, " AND "), args...)
	return l.run(ctx, s.read(ctx), req)
}

func (s *Store) payment(ctx context.Context, c conn, sc identity.Scope, id string) (billing.Payment, error) {
	cond, args := paymentScope(sc)
	p, err := scanPayment(c.queryRow(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE y.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("付款", "payment")
	}
	if err != nil {
		return p, err
	}
	rows, err := c.query(ctx, `SELECT a.id, a.payment_id, a.line_id, b.number, a.amount, a.paid_on FROM payment_allocations a
		JOIN bill_lines l ON l.id = a.line_id JOIN bills b ON b.id = l.bill_id WHERE a.payment_id = ? ORDER BY b.number, l.line_key`, id)
	if err != nil {
		return p, err
	}
	p.Allocations, err = collect(rows, func(r scanner) (billing.Allocation, error) {
		var a billing.Allocation
		return a, r.Scan(&a.ID, &a.PaymentID, &a.LineID, &a.BillNumber, &a.Amount, &a.PaidOn)
	})
	return p, err
}

// GetPayment reads a payment with its allocations in the caller's scope.
func (s *Store) GetPayment(ctx context.Context, sc identity.Scope, id string) (billing.Payment, error) {
	return s.payment(ctx, s.read(ctx), sc, id)
}

// LockPayment locks a payment and reads it, in the transaction of ctx.
func (s *Store) LockPayment(ctx context.Context, sc identity.Scope, id string) (billing.Payment, error) {
	return lockedRead(ctx, s, sc, "payments", id, s.payment)
}

// ReversePayment removes a payment's allocations and what they paid, and marks it reversed, in
// the transaction of ctx; it returns the bills it had paid.
func (s *Store) ReversePayment(ctx context.Context, p billing.Payment) ([]string, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	var bills []string
	for _, a := range p.Allocations {
		var bill string
		if err := c.queryRow(ctx, `UPDATE bill_lines SET paid = paid - ? WHERE id = ? RETURNING bill_id`, a.Amount, a.LineID).Scan(&bill); err != nil {
			return nil, err
		}
		if _, err := c.exec(ctx, `UPDATE bills SET paid = paid - ? WHERE id = ?`, a.Amount, bill); err != nil {
			return nil, err
		}
		if !slices.Contains(bills, bill) {
			bills = append(bills, bill)
		}
	}
	if _, err := c.exec(ctx, `DELETE FROM payment_allocations WHERE payment_id = ?`, p.ID); err != nil {
		return nil, err
	}
	_, err = c.exec(ctx, `UPDATE payments SET reversed_on = ?, reversal_reason = ?, unallocated = 0 WHERE id = ?`, p.ReversedOn, p.ReversalReason, p.ID)
	return bills, err
}

// DepositOf is what a contract's deposit lines billed and what was paid on them, and its
// settlement.
func (s *Store) DepositOf(ctx context.Context, contractID string) (billing.Deposit, error) {
	c := s.read(ctx)
	var d billing.Deposit
	if err := c.queryRow(ctx, `SELECT COALESCE(SUM(l.gross), 0), COALESCE(SUM(l.paid), 0) FROM bill_lines l JOIN bills b ON b.id = l.bill_id
		WHERE l.source = 'contract' AND l.source_id = ? AND l.charge_type = 'deposit' AND b.status <> 'draft'`, contractID).Scan(&d.Billed, &d.Held); err != nil {
		return d, err
	}
	var st billing.Settlement
	var deductions string
	err := c.queryRow(ctx, `SELECT settled_on, held, deductions, deducted, applied, refunded FROM deposit_settlements WHERE contract_id = ?`, contractID).
		Scan(&st.SettledOn, &st.Held, &deductions, &st.Deducted, &st.Applied, &st.Refunded)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	}
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(deductions), &st.Deductions); err != nil {
		return d, err
	}
	st.ApplyToOpen = st.Applied > 0
	d.Settlement = &st
	return d, nil
}

// EnterpriseDeposits are the deposits of an enterprise's contracts in the caller's scope.
func (s *Store) EnterpriseDeposits(ctx context.Context, sc identity.Scope, enterpriseID string) ([]billing.Deposit, error) {
	cond, args := contractScope(sc)
	rows, err := s.read(ctx).query(ctx, `SELECT k.id, k.number FROM contracts k WHERE k.enterprise_id = ? AND k.status <> 'draft' AND k.deposit_months > 0 AND `+cond+`
		ORDER BY k.start_on, k.id`, append([]any{enterpriseID}, args...)...)
	if err != nil {
		return nil, err
	}
	ks, err := collect(rows, func(r scanner) ([2]string, error) {
		var k [2]string
		return k, r.Scan(&k[0], &k[1])
	})
	if err != nil {
		return nil, err
	}
	out := []billing.Deposit{}
	for _, k := range ks {
		d, err := s.DepositOf(ctx, k[0])
		if err != nil {
			return nil, err
		}
		d.ContractID, d.ContractNumber, d.EnterpriseID = k[0], k[1], enterpriseID
		out = append(out, d)
	}
	return out, nil
}

// InsertSettlement writes a deposit's settlement, in the transaction of ctx.
func (s *Store) InsertSettlement(ctx context.Context, contractID string, st billing.Settlement, paymentID, by string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	deductions, err := json.Marshal(st.Deductions)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO deposit_settlements (contract_id, park_id, enterprise_id, settled_on, held, deductions, deducted, applied, refunded,
		payment_id, created_by, created_at) SELECT id, park_id, enterprise_id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM contracts WHERE id = ?`,
		st.SettledOn, st.Held, string(deductions), st.Deducted, st.Applied, st.Refunded, nullable(paymentID), by, s.now(), contractID)
	return s.constraintError(err, "contract_id", "该合同押金已结算", "this deposit was settled already")
}

// LateFeeOf is a contract's late-fee rule (nil when it has none).
func (s *Store) LateFeeOf(ctx context.Context, contractID string) (*billing.LateFee, error) {
	var r billing.LateFee
	err := s.read(ctx).queryRow(ctx, `SELECT rate_bp, grace_days, cap_bp FROM contract_late_fees WHERE contract_id = ?`, contractID).
		Scan(&r.RateBP, &r.GraceDays, &r.CapBP)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &r, err
}

// SaveLateFee sets or (nil) removes a contract's late-fee rule, in the transaction of ctx,
// holding the contract's row: two changes at once queue instead of colliding.
func (s *Store) SaveLateFee(ctx context.Context, contractID string, r *billing.LateFee) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := s.lockRows(ctx, c, "contracts", []string{contractID}); err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM contract_late_fees WHERE contract_id = ?`, contractID); err != nil || r == nil {
		return err
	}
	park, err := ownerOf(ctx, c, "contracts", "park_id", contractID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO contract_late_fees (contract_id, park_id, rate_bp, grace_days, cap_bp) VALUES (?, ?, ?, ?, ?)`,
		contractID, park, r.RateBP, r.GraceDays, r.CapBP)
	return err
}

// InvoiceDetailsOf are an enterprise's invoicing details (nil when none are kept).
func (s *Store) InvoiceDetailsOf(ctx context.Context, enterpriseID string) (*billing.InvoiceDetails, error) {
	var d billing.InvoiceDetails
	err := s.read(ctx).queryRow(ctx, `SELECT enterprise_id, name, tax_id, address_phone, bank_account, updated_at FROM invoice_details
		WHERE enterprise_id = ?`, enterpriseID).Scan(&d.EnterpriseID, &d.Name, &d.TaxID, &d.AddressPhone, &d.BankAccount, &d.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &d, err
}

// SaveInvoiceDetails writes an enterprise's invoicing details, in the transaction of ctx.
func (s *Store) SaveInvoiceDetails(ctx context.Context, d billing.InvoiceDetails) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO invoice_details (enterprise_id, name, tax_id, address_phone, bank_account, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (enterprise_id) DO UPDATE SET name = excluded.name, tax_id = excluded.tax_id, address_phone = excluded.address_phone,
		bank_account = excluded.bank_account, updated_at = excluded.updated_at`, d.EnterpriseID, d.Name, d.TaxID, d.AddressPhone, d.BankAccount, d.UpdatedAt)
	return err
}

// InvoiceRequestOf is a bill's invoice request (nil when none).
func (s *Store) InvoiceRequestOf(ctx context.Context, billID string) (*billing.InvoiceRequest, error) {
	var r billing.InvoiceRequest
	err := s.read(ctx).queryRow(ctx, `SELECT bill_id, requested_by, requested_on, invoice_no, invoice_date FROM invoice_requests WHERE bill_id = ?`, billID).
		Scan(&r.BillID, &r.RequestedBy, &r.RequestedOn, &r.InvoiceNo, &r.InvoiceDate)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &r, err
}

// SaveInvoiceRequest writes a bill's invoice request, in the transaction of ctx.
func (s *Store) SaveInvoiceRequest(ctx context.Context, r billing.InvoiceRequest) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	var date any
	if !r.InvoiceDate.IsZero() {
		date = r.InvoiceDate
	}
	park, err := ownerOf(ctx, c, "bills", "park_id", r.BillID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO invoice_requests (bill_id, park_id, requested_by, requested_on, invoice_no, invoice_date) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (bill_id) DO UPDATE SET invoice_no = excluded.invoice_no, invoice_date = excluded.invoice_date`,
		r.BillID, park, r.RequestedBy, r.RequestedOn, r.InvoiceNo, date)
	return err
}

// AgingBuckets sums what was owed on a day, by group and bucket, in the caller's scope: what the
// bills issued by then still owe now (a covering index of the open bills), plus what was paid on
// them after the day (the allocations made since).
func (s *Store) AgingBuckets(ctx context.Context, sc identity.Scope, q billing.AgingQuery) ([]billing.AgingCell, error) {
	cond, args := billScope(sc)
	group, name := "b.enterprise_id", "(SELECT e.name FROM enterprises e WHERE e.id = g)"
	if q.By == "park" {
		group, name = "b.park_id", "(SELECT p.name_zh FROM parks p WHERE p.id = g)"
	}
	bucket := `CASE WHEN b.due_on >= ? THEN 0 WHEN b.due_on >= ? THEN 1 WHEN b.due_on >= ? THEN 2 WHEN b.due_on >= ? THEN 3 ELSE 4 END`
	edges := []any{q.On, q.On.AddDays(-30), q.On.AddDays(-60), q.On.AddDays(-90)}
	park := ""
	if q.ParkID != "" {
		park = " AND b.park_id = ?"
	}
	withPark := func(a []any) []any {
		if q.ParkID != "" {
			return append(a, q.ParkID)
		}
		return a
	}
	cells := map[[2]string]*billing.AgingCell{}
	var order [][2]string
	read := func(query string, qargs []any) error {
		rows, err := s.read(ctx).query(ctx, query, qargs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c billing.AgingCell
			if err := rows.Scan(&c.Group, &c.Name, &c.Bucket, &c.Owed); err != nil {
				return err
			}
			k := [2]string{c.Group, strconv.Itoa(c.Bucket)}
			if prior, ok := cells[k]; ok {
				prior.Owed += c.Owed
				continue
			}
			cells[k], order = &c, append(order, k)
		}
		return rows.Err()
	}
	open := append(append([]any{}, edges...), args...)
	open = withPark(append(open, q.On))
	if err := read(`SELECT g, `+name+`, bucket, SUM(owed) FROM (SELECT `+group+` AS g, `+bucket+` AS bucket, b.gross - b.paid AS owed
		FROM bills b WHERE `+cond+` AND b.status IN ('issued', 'partly_paid') AND b.issued_on <= ?`+park+`) x GROUP BY g, bucket`, open); err != nil {
		return nil, err
	}
	late := append(append([]any{}, edges...), args...)
	late = withPark(append(late, q.On, q.On))
	if err := read(`SELECT g, `+name+`, bucket, SUM(owed) FROM (SELECT `+group+` AS g, `+bucket+` AS bucket, a.amount AS owed
		FROM payment_allocations a JOIN bill_lines l ON l.id = a.line_id JOIN bills b ON b.id = l.bill_id
		WHERE `+cond+` AND a.paid_on > ? AND b.status IN ('issued', 'partly_paid', 'paid') AND b.issued_on <= ? AND l.gross > 0`+park+`) x
		GROUP BY g, bucket`, late); err != nil {
		return nil, err
	}
	out := make([]billing.AgingCell, 0, len(order))
	for _, k := range order {
		if c := cells[k]; c.Owed > 0 {
			out = append(out, *c)
		}
	}
	return out, nil
}

// Collected sums what bills due in [from, to) billed and what was paid on them by a day.
func (s *Store) Collected(ctx context.Context, sc identity.Scope, parkID string, from, to, by civil.Date) (billed, paid measure.Money, err error) {
	cond, args := billScope(sc)
	where := cond + ` AND b.status IN ('issued', 'partly_paid', 'paid', 'written_off') AND b.due_on >= ? AND b.due_on < ? AND l.gross > 0`
	all := append([]any{by}, args...)
	all = append(all, from, to)
	if parkID != "" {
		where, all = where+" AND b.park_id = ?", append(all, parkID)
	}
	err = s.read(ctx).queryRow(ctx, `SELECT COALESCE(SUM(l.gross), 0),
		COALESCE(SUM((SELECT COALESCE(SUM(a.amount), 0) FROM payment_allocations a WHERE a.line_id = l.id AND a.paid_on <= ?)), 0)
		FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE `+where, all...).Scan(&billed, &paid)
	return billed, paid, err
}

// BillingSettings are a park's reminder days (nil when it set none) and the day its billing
// begins (zero: every charge).
func (s *Store) BillingSettings(ctx context.Context, parkID string) ([]int, civil.Date, error) {
	var text string
	var from civil.Date
	err := s.read(ctx).queryRow(ctx, `SELECT reminder_days, billing_from FROM park_billing_settings WHERE park_id = ?`, parkID).Scan(&text, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, civil.Date{}, nil
	}
	if err != nil {
		return nil, from, err
	}
	days, err := billing.ParseOffsets(text)
	return days, from, err
}

// SaveBillingSettings writes a park's reminder days and billing start, in the transaction of ctx.
func (s *Store) SaveBillingSettings(ctx context.Context, parkID string, offsets []int, from civil.Date) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	parts := make([]string, len(offsets))
	for i, o := range offsets {
		parts[i] = strconv.Itoa(o)
	}
	_, err = c.exec(ctx, `INSERT INTO park_billing_settings (park_id, reminder_days, billing_from) VALUES (?, ?, ?)
		ON CONFLICT (park_id) DO UPDATE SET reminder_days = excluded.reminder_days, billing_from = excluded.billing_from`,
		parkID, strings.Join(parts, ","), from)
	return err
}

// ClaimReminderDay records that the reminder job runs on a day, in the transaction of ctx; false
// when it ran that day already.
func (s *Store) ClaimReminderDay(ctx context.Context, day civil.Date) (bool, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return false, err
	}
	res, err := c.exec(ctx, `INSERT INTO billing_reminder_runs (day) VALUES (?) ON CONFLICT (day) DO NOTHING`, day)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClaimDunning marks as sent, and returns, the reminders due today, in the transaction of ctx:
// for each open issued bill due within the last year or the next 60 days (no reminder day is
// further), the latest of its park's reminder days that has come and was not sent (earlier
// missed ones are not sent late).
func (s *Store) ClaimDunning(ctx context.Context, today civil.Date) ([]billing.Reminder, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT `+billCols+`, COALESCE(d.reminder_days, '') FROM bills b JOIN parks p ON p.id = b.park_id
		JOIN enterprises e ON e.id = b.enterprise_id LEFT JOIN park_billing_settings d ON d.park_id = b.park_id
		WHERE b.status IN ('issued', 'partly_paid') AND b.due_on <= ? AND b.due_on >= ? ORDER BY b.due_on DESC, b.id`, today.AddDays(60), today.AddDays(-366))
	if err != nil {
		return nil, err
	}
	type due struct {
		b       billing.Bill
		offsets string
	}
	bills, err := collect(rows, func(r scanner) (due, error) {
		var d due
		b := &d.b
		err := r.Scan(&b.ID, &b.Number, &b.ParkID, &b.ParkName, &b.EnterpriseID, &b.EnterpriseName, &b.RunID, &b.BillingDate, &b.DueOn, &b.Status,
			&b.Net, &b.Tax, &b.Gross, &b.Paid, &b.IssuedOn, &b.WriteOffReason, &b.CreatedAt, &b.UpdatedAt, &d.offsets)
		b.Outstanding = b.Gross - b.Paid
		return d, err
	})
	if err != nil {
		return nil, err
	}
	var out []billing.Reminder
	for _, d := range bills {
		offsets := billing.DefaultDunning
		if d.offsets != "" {
			if offsets, err = billing.ParseOffsets(d.offsets); err != nil {
				return nil, err
			}
		}
		latest, ok := 0, false
		for _, o := range offsets {
			if !d.b.DueOn.AddDays(o).After(today) {
				latest, ok = o, true
			}
		}
		if !ok || d.b.Outstanding <= 0 {
			continue
		}
		res, err := c.exec(ctx, `INSERT INTO dunning_sent (bill_id, park_id, offset_days, sent_on) VALUES (?, ?, ?, ?) ON CONFLICT (bill_id, offset_days) DO NOTHING`,
			d.b.ID, d.b.ParkID, latest, today)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 1 {
			out = append(out, billing.Reminder{Bill: d.b, Offset: latest})
		}
	}
	return out, nil
}

// Payers are a park's enterprises with the bank account their invoicing details name.
func (s *Store) Payers(ctx context.Context, parkID string) ([]billing.Payer, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT e.id, e.name, COALESCE(d.bank_account, '') FROM enterprises e
		LEFT JOIN invoice_details d ON d.enterprise_id = e.id WHERE e.park_id = ? ORDER BY e.id`, parkID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (billing.Payer, error) {
		var p billing.Payer
		return p, r.Scan(&p.ID, &p.Name, &p.Account)
	})
}

// OpenBills are an enterprise's issued bills of a park with money open, oldest first.
func (s *Store) OpenBills(ctx context.Context, parkID, enterpriseID string) ([]billing.Bill, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+billCols+billFrom+` WHERE b.park_id = ? AND b.enterprise_id = ?
		AND b.status IN ('issued', 'partly_paid') ORDER BY b.due_on, b.number`, parkID, enterpriseID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanBill)
}

// BankRowSeen reports whether a statement row was imported before.
func (s *Store) BankRowSeen(ctx context.Context, key string) (bool, error) {
	var n int
	err := s.read(ctx).queryRow(ctx, `SELECT COUNT(*) FROM payments WHERE bank_row = ?`, key).Scan(&n)
	return n > 0, err
}
