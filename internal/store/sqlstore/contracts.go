package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
)

const contractCols = `k.id, k.number, k.park_id, k.enterprise_id, k.status, k.start_on, k.end_on, k.signed_on, k.price,
	k.property_fee, k.payment_cycle, k.deposit_months, k.day_count, k.terms_json, k.terminated_on, k.penalty, k.renewal_of,
	k.renewed_by, k.note, k.created_at, k.updated_at, k.lead_id`

// contractTerms are the parts of a contract kept as JSON.
type contractTerms struct {
	RentFree   []leasing.Period   `json:"rent_free"`
	Escalation leasing.Escalation `json:"escalation"`
}

func scanContract(r scanner, today civil.Date) (leasing.Contract, error) {
	var k leasing.Contract
	var terms string
	err := r.Scan(&k.ID, &k.Number, &k.ParkID, &k.EnterpriseID, &k.Status, &k.StartOn, &k.EndOn, &k.SignedOn, &k.Price,
		&k.PropertyFee, &k.PaymentCycle, &k.DepositMonths, &k.DayCount, &terms, &k.TerminatedOn, &k.Penalty,
		nullString{&k.RenewalOf}, nullString{&k.RenewedBy}, &k.Note, &k.CreatedAt, &k.UpdatedAt, nullString{&k.LeadID})
	if err != nil {
		return k, err
	}
	var t contractTerms
	if err := json.Unmarshal([]byte(terms), &t); err != nil {
		return k, fmt.Errorf("contract %s terms: %w", k.ID, err)
	}
	k.RentFree, k.Escalation, k.Units = t.RentFree, t.Escalation, []leasing.ContractUnit{}
	if k.Escalation.Steps == nil {
		k.Escalation.Steps = []leasing.Step{}
	}
	if k.RentFree == nil {
		k.RentFree = []leasing.Period{}
	}
	k.Status = k.EffectiveStatus(today)
	return k, nil
}

// lastDaySQL is Contract.LastDay in SQL: the termination date when it is before the end.
const lastDaySQL = `(CASE WHEN k.terminated_on IS NOT NULL AND k.terminated_on < k.end_on THEN k.terminated_on ELSE k.end_on END)`

// contractScope: operators see their parks' contracts, tenant staff their enterprise's.
func contractScope(sc identity.Scope) (string, []any) {
	if sc.Role.IsEnterprise() {
		return "k.enterprise_id = ?", []any{sc.EnterpriseID}
	}
	return parkScope(sc, "k.park_id", false)
}

func contractNotFound() error { return notFound("合同", "contract") }

// ListContracts lists contracts in the caller's scope.
func (s *Store) ListContracts(ctx context.Context, sc identity.Scope, f leasing.Filter, req page.Request) (page.Page[leasing.Contract], error) {
	l := listQuery[leasing.Contract]{
		selectFrom: "SELECT " + contractCols + " FROM contracts k",
		idExpr:     "k.id",
		sorts: []sortKey[leasing.Contract]{
			{"number", "k.number", func(k leasing.Contract) any { return k.Number }},
			{"start_on", "k.start_on", func(k leasing.Contract) any { return k.StartOn.String() }},
			{"end_on", "k.end_on", func(k leasing.Contract) any { return k.EndOn.String() }},
		},
		scan: byValue(func(r *sql.Rows) (leasing.Contract, error) { return scanContract(r, s.clock.Today()) }),
		id:   func(k leasing.Contract) string { return k.ID },
	}
	cond, args := contractScope(sc)
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("k.park_id = ?", f.ParkID)
	}
	if f.EnterpriseID != "" {
		l.filter("k.enterprise_id = ?", f.EnterpriseID)
	}
	if f.UnitID != "" {
		l.filter("EXISTS (SELECT 1 FROM contract_units fu WHERE fu.contract_id = k.id AND fu.unit_id = ?)", f.UnitID)
	}
	switch f.Status {
	case "":
	case leasing.Expired:
		l.filter("k.status = ? AND k.end_on < ?", leasing.Active, s.clock.Today())
	case leasing.Active:
		l.filter("k.status = ? AND k.end_on >= ?", leasing.Active, s.clock.Today())
	default:
		l.filter("k.status = ?", f.Status)
	}
	if !f.ActiveOn.IsZero() {
		l.filter("k.status <> ? AND k.start_on <= ? AND k.end_on >= ? AND (k.terminated_on IS NULL OR k.terminated_on >= ?)",
			leasing.Draft, f.ActiveOn, f.ActiveOn, f.ActiveOn)
	}
	if !f.ExpiringBy.IsZero() {
		// In force today and ending between today and the day given (§4): a lease that has
		// already ended is never expiring. The last day is the termination date when earlier.
		today := s.clock.Today()
		l.filter(`k.status IN (?, ?) AND k.start_on <= ? AND `+lastDaySQL+` >= ? AND `+lastDaySQL+` <= ?`,
			leasing.Active, leasing.Terminated, today, today, f.ExpiringBy)
	}
	if f.Q != "" {
		l.filter(`lower(k.number) LIKE ? ESCAPE '\'`, likeContains(f.Q))
	}
	pg, err := l.run(ctx, s.read(ctx), req)
	if err != nil {
		return pg, err
	}
	return pg, s.attachContractUnits(ctx, s.read(ctx), pg.Items)
}

func (s *Store) attachContractUnits(ctx context.Context, c conn, ks []leasing.Contract) error {
	if len(ks) == 0 {
		return nil
	}
	idx := map[string]int{}
	ids := make([]string, len(ks))
	for i, k := range ks {
		idx[k.ID], ids[i] = i, k.ID
	}
	rows, err := c.query(ctx, `SELECT contract_id, unit_id, area, from_on, to_on FROM contract_units WHERE contract_id IN (`+
		bindParams(len(ids))+`) ORDER BY from_on, unit_id`, anySlice(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var u leasing.ContractUnit
		if err := rows.Scan(&id, &u.UnitID, &u.Area, &u.From, &u.To); err != nil {
			return err
		}
		ks[idx[id]].Units = append(ks[idx[id]].Units, u)
	}
	return rows.Err()
}

// GetContract returns one contract with its units.
func (s *Store) GetContract(ctx context.Context, sc identity.Scope, id string) (leasing.Contract, error) {
	return s.getContract(ctx, s.read(ctx), sc, id)
}

func (s *Store) getContract(ctx context.Context, c conn, sc identity.Scope, id string) (leasing.Contract, error) {
	cond, args := contractScope(sc)
	k, err := scanContract(c.queryRow(ctx, "SELECT "+contractCols+" FROM contracts k WHERE k.id = ? AND "+cond,
		append([]any{id}, args...)...), s.clock.Today())
	if errors.Is(err, sql.ErrNoRows) {
		return k, contractNotFound()
	}
	if err != nil {
		return k, err
	}
	ks := []leasing.Contract{k}
	err = s.attachContractUnits(ctx, c, ks)
	return ks[0], err
}

// ContractSchedule is the contract's charge schedule.
func (s *Store) ContractSchedule(ctx context.Context, sc identity.Scope, id string) (leasing.Schedule, error) {
	k, err := s.GetContract(ctx, sc, id)
	if err != nil {
		return leasing.Schedule{}, err
	}
	return k.Schedule(), nil
}

// PrepareContractUnits checks that every unit is a leasable unit of one park in the caller's scope,
// existing over its dates, and fills the charged area from the unit's gross area (a charged
// area is at most that).
//
// The units' rows are locked first, so a split, a merge or another letting of the same units
// waits for this transaction, and this one reads the units as they are after it.
func (s *Store) PrepareContractUnits(ctx context.Context, sc identity.Scope, k *leasing.Contract) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, len(k.Units))
	for i, u := range k.Units {
		ids[i] = u.UnitID
	}
	if err := s.lockRows(ctx, c, "units", ids); err != nil {
		return err
	}
	for i := range k.Units {
		u := &k.Units[i]
		field := fmt.Sprintf("units[%d].unit_id", i)
		unit, err := s.getUnit(ctx, c, sc, u.UnitID)
		if apperr.Is(err, apperr.NotFound) {
			return fieldErr(field, "not_found", "单元不存在", "no such unit")
		}
		if err != nil {
			return err
		}
		if k.ParkID == "" {
			k.ParkID = unit.ParkID
		}
		if unit.ParkID != k.ParkID {
			return fieldErr(field, "other_park", "合同的所有单元须属于同一园区", "all units of a contract must be in one park")
		}
		// Leasable and area as the unit is on the first day let, not as last edited (a change
		// dated later has not happened yet), and leasable on every later day of the letting.
		var leasable bool
		if unit, leasable, err = s.lettableOver(ctx, c, unit, u.From, u.To); err != nil {
			return err
		}
		if !leasable {
			return fieldErr(field, "not_leasable", fmt.Sprintf("单元 %s 在该期间不可租", unit.Code),
				fmt.Sprintf("unit %s is not leasable over this period", unit.Code))
		}
		if u.From.Before(unit.ValidFrom) || (!unit.ValidTo.IsZero() && !u.To.Before(unit.ValidTo)) {
			return fieldErr(field, "not_existing", fmt.Sprintf("单元 %s 在合同期内并非一直存在（已拆分或合并）", unit.Code),
				fmt.Sprintf("unit %s does not exist for the whole period (split or merged)", unit.Code))
		}
		if u.Area == 0 {
			u.Area = unit.GrossArea
		}
		if u.Area > unit.GrossArea { // the charged area is the unit's gross area or part of it
			return fieldErr(fmt.Sprintf("units[%d].area", i), "exceeds_unit",
				fmt.Sprintf("计租面积不能大于单元 %s 的建筑面积 %s ㎡", unit.Code, unit.GrossArea),
				fmt.Sprintf("the charged area cannot exceed unit %s's gross area of %s m²", unit.Code, unit.GrossArea))
		}
	}
	return nil
}

// CheckLettable refuses to let units (some or all of contract k's) when another signed
// contract or another lead's hold has one of them on any of the same days; errors name
// units[i] by the index in units. The caller has locked the units (PrepareContractUnits), so
// two transactions letting one unit
// queue instead of both passing the check; the database's own constraint on contract_units'
// letting days is the last line if code ever gets this wrong.
func (s *Store) CheckLettable(ctx context.Context, k leasing.Contract, units []leasing.ContractUnit) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	last := k.LastDay()
	for i, u := range units {
		to := civil.Min(u.To, last)
		if to.Before(u.From) {
			continue
		}
		var otherID, otherNumber, code string
		err := c.queryRow(ctx, `SELECT o.id, o.number, un.code FROM contract_units cu
			JOIN contracts o ON o.id = cu.contract_id JOIN units un ON un.id = cu.unit_id
			WHERE cu.unit_id = ? AND o.id <> ? AND cu.let_from IS NOT NULL AND cu.let_from <= ? AND cu.let_to >= ?
			ORDER BY o.start_on LIMIT 1`,
			u.UnitID, k.ID, to, u.From).Scan(&otherID, &otherNumber, &code)
		if errors.Is(err, sql.ErrNoRows) {
			company, until, err := s.holdConflict(ctx, c, u.UnitID, k.LeadID, u.From, to)
			if err != nil {
				return err
			}
			if company != "" {
				if err := c.queryRow(ctx, `SELECT code FROM units WHERE id = ?`, u.UnitID).Scan(&code); err != nil {
					return err
				}
				return holdError(fmt.Sprintf("units[%d].unit_id", i), code, company, until)
			}
			continue
		}
		if err != nil {
			return err
		}
		e := apperr.New(apperr.Conflict, fmt.Sprintf("单元 %s 在该期间已由合同 %s 出租", code, otherNumber),
			fmt.Sprintf("unit %s is already let under contract %s for part of this period", code, otherNumber))
		e.Fields = []apperr.FieldError{{Field: fmt.Sprintf("units[%d].unit_id", i), Code: "already_let",
			MessageZh: fmt.Sprintf("单元 %s 已由合同 %s（%s）出租", code, otherNumber, otherID),
			MessageEn: fmt.Sprintf("unit %s is let under contract %s (%s)", code, otherNumber, otherID)}}
		return e
	}
	return nil
}

// storedStatus is the status as kept in the row: "expired" is derived from an active one.
func storedStatus(st leasing.Status) leasing.Status {
	if st == leasing.Expired {
		return leasing.Active
	}
	return st
}

// lettingDays are the days a contract unit is really let: none for a draft, and cut at the
// contract's last day. They are what the one-letting-per-day constraint compares.
func lettingDays(k leasing.Contract, u leasing.ContractUnit) (from, to any) {
	last := civil.Min(u.To, k.LastDay())
	if storedStatus(k.Status) == leasing.Draft || last.Before(u.From) {
		return nil, nil
	}
	return u.From, last
}

// saveContract writes a contract and its units. An update is conditional on the status the
// caller read (wasStatus), so a state change two writers both decided on lands only once.
func (s *Store) saveContract(ctx context.Context, c conn, k leasing.Contract, insert bool, wasStatus leasing.Status) error {
	if err := k.CheckAmounts(); err != nil {
		return err
	}
	terms, err := json.Marshal(contractTerms{RentFree: k.RentFree, Escalation: k.Escalation})
	if err != nil {
		return err
	}
	args := []any{k.Number, k.ParkID, k.EnterpriseID, storedStatus(k.Status), k.StartOn, k.EndOn, k.SignedOn, k.Price, k.PropertyFee,
		k.PaymentCycle, k.DepositMonths, k.DayCount, string(terms), k.TerminatedOn, k.Penalty, nullable(k.RenewalOf),
		nullable(k.RenewedBy), k.Note, nullable(k.LeadID), k.UpdatedAt, k.ID}
	if insert {
		_, err = c.exec(ctx, `INSERT INTO contracts (number, park_id, enterprise_id, status, start_on, end_on, signed_on, price,
			property_fee, payment_cycle, deposit_months, day_count, terms_json, terminated_on, penalty, renewal_of, renewed_by, note,
			lead_id, updated_at, id, created_at) VALUES (`+bindParams(22)+`)`, append(args, k.CreatedAt)...)
	} else {
		var res sql.Result
		res, err = c.exec(ctx, `UPDATE contracts SET number = ?, park_id = ?, enterprise_id = ?, status = ?, start_on = ?, end_on = ?,
			signed_on = ?, price = ?, property_fee = ?, payment_cycle = ?, deposit_months = ?, day_count = ?, terms_json = ?,
			terminated_on = ?, penalty = ?, renewal_of = ?, renewed_by = ?, note = ?, lead_id = ?, updated_at = ? WHERE id = ? AND status = ?`,
			append(args, storedStatus(wasStatus))...)
		if err == nil {
			err = changedOne(res, nil, conflict("合同已被他人同时修改，请刷新后重试", "the contract was changed at the same time; reload and try again"))
		}
	}
	if err := s.constraintError(err, "number", "该园区已有此编号的合同", "the park already has a contract with this number"); err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM contract_units WHERE contract_id = ?`, k.ID); err != nil {
		return err
	}
	for i, u := range k.Units {
		from, to := lettingDays(k, u)
		_, err := c.exec(ctx, `INSERT INTO contract_units (contract_id, park_id, unit_id, area, from_on, to_on, let_from, let_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			k.ID, k.ParkID, u.UnitID, u.Area, u.From, u.To, from, to)
		if err != nil && s.eng.Excluded(err, "contract_units_one_letting_per_day") {
			return apperr.New(apperr.Conflict, "单元在该期间已出租", "the unit is already let for part of this period").
				WithField(fmt.Sprintf("units[%d].unit_id", i), "already_let")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// InsertContract writes a new contract and its units in the transaction of ctx.
func (s *Store) InsertContract(ctx context.Context, sc identity.Scope, k leasing.Contract) (leasing.Contract, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return k, err
	}
	k.ID, k.CreatedAt, k.UpdatedAt = newID(), s.now(), s.now()
	if err := s.saveContract(ctx, c, k, true, ""); err != nil {
		return k, err
	}
	return s.getContract(ctx, c, sc, k.ID)
}

// SaveContract writes a changed contract in the transaction of ctx, conditional on the status
// it was read with, and reads it back.
func (s *Store) SaveContract(ctx context.Context, sc identity.Scope, k leasing.Contract, wasStatus leasing.Status) (leasing.Contract, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return k, err
	}
	k.UpdatedAt = s.now()
	if err := s.saveContract(ctx, c, k, false, wasStatus); err != nil {
		return k, err
	}
	return s.getContract(ctx, c, sc, k.ID)
}

// DeleteDraftContract removes a draft the caller has locked, unlinking it from the contract
// it was to renew.
func (s *Store) DeleteDraftContract(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `UPDATE contracts SET renewed_by = NULL WHERE renewed_by = ?`, id); err != nil {
		return err
	}
	res, err := c.exec(ctx, `DELETE FROM contracts WHERE id = ? AND status = ?`, id, leasing.Draft)
	return changedOne(res, err, contractNotFound())
}

// ResolveContractRefs resolves every other id a contract names through the caller's scope:
// the tenant, the lead it came from and the contract it renews must be visible to the caller
// and belong to the contract's park. Anything else answers as if it did not exist.
func (s *Store) ResolveContractRefs(ctx context.Context, sc identity.Scope, k leasing.Contract) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := s.getEnterprise(ctx, c, sc, k.EnterpriseID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return fieldErr("enterprise_id", "not_found", "企业不存在", "no such enterprise")
		}
		return err
	}
	if k.LeadID != "" {
		lead, err := s.getLead(ctx, c, sc, k.LeadID)
		if apperr.Is(err, apperr.NotFound) || (err == nil && lead.ParkID != k.ParkID) {
			return fieldErr("lead_id", "not_found", "招商线索不存在", "no such lead")
		}
		if err != nil {
			return err
		}
	}
	if k.RenewalOf != "" {
		prev, err := s.getContract(ctx, c, sc, k.RenewalOf)
		if apperr.Is(err, apperr.NotFound) || (err == nil && prev.ParkID != k.ParkID) {
			return fieldErr("renewal_of", "not_found", "被续签的合同不存在", "no such contract to renew")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// LockContract locks a contract's row and reads it in the caller's scope, in the transaction
// of ctx: concurrent changes of one contract queue, and each sees the one before it.
func (s *Store) LockContract(ctx context.Context, sc identity.Scope, id string) (leasing.Contract, error) {
	return lockedRead(ctx, s, sc, "contracts", id, s.getContract)
}

// ConvertHolds closes the holds the contract's own lead had on its units: the lease takes over.
func (s *Store) ConvertHolds(ctx context.Context, k leasing.Contract) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	for _, u := range k.Units {
		if _, err := c.exec(ctx, `UPDATE holds SET status = 'converted', updated_at = ? WHERE lead_id = ? AND unit_id = ? AND status = 'active'`,
			s.now(), k.LeadID, u.UnitID); err != nil {
			return err
		}
	}
	return nil
}

// LinkRenewal points an imported contract that is already "renewed" at its imported successor.
func (s *Store) LinkRenewal(ctx context.Context, prevID, nextID string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE contracts SET renewed_by = ? WHERE id = ? AND status = ?`, nextID, prevID, leasing.Renewed)
	return err
}
