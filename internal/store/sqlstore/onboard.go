package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/space"
)

// errDryRun rolls back an import that was only checking.
var errDryRun = errors.New("dry run")

// ImportOnboarding applies a file's rows in one transaction, through the same methods, rules,
// scope and audit as single edits: each row is matched to an existing record by its codes and
// created, changed in the columns the file has, or left alone. With any refused row, or with
// dryRun, nothing is written, and the outcomes say what would have happened. Contracts and
// enterprises' records are written through w, their services, under the same rules as by hand.
func (s *Store) ImportOnboarding(ctx context.Context, sc identity.Scope, b onboard.Batch, dryRun bool,
	w onboard.Writer) ([]onboard.RowOutcome, []onboard.RowProblem, error) {
	im := &importer{s: s, sc: sc, w: w, ids: map[string]string{}}
	err := s.writeBatch(ctx, func(ctx context.Context, c conn) error {
		im.ctx, im.c = ctx, c
		steps := []func(onboard.Batch) error{im.parks, im.buildings, im.floors, im.units, im.enterprises,
			im.qualifications, im.residencies, im.contracts}
		for _, step := range steps {
			if err := step(b); err != nil {
				return err
			}
		}
		if dryRun || len(im.problems) > 0 {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return im.outcomes, im.problems, err
}

type importer struct {
	s        *Store
	w        onboard.Writer
	sc       identity.Scope
	ctx      context.Context
	c        conn
	ids      map[string]string // "kind\x00codes" → id, for rows met earlier in the file
	outcomes []onboard.RowOutcome
	problems []onboard.RowProblem
}

// refuse records a row the rules refused. Only errors a user can act on become problems; any
// other error stops the import.
func (im *importer) refuse(r onboard.Ref, err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.Internal || e.Code == apperr.Unavailable {
		return err
	}
	if len(e.Fields) == 0 {
		im.problems = append(im.problems, onboard.RowProblem{Sheet: r.Sheet, Row: r.Row, Code: string(e.Code),
			MessageZh: e.MessageZh, MessageEn: e.MessageEn})
	}
	for _, f := range e.Fields {
		im.problems = append(im.problems, onboard.RowProblem{Sheet: r.Sheet, Row: r.Row, Field: f.Field, Code: f.Code,
			MessageZh: f.MessageZh, MessageEn: f.MessageEn})
	}
	return nil
}

// unknown records a reference to something neither the database nor the file has.
func (im *importer) unknown(r onboard.Ref, field, whatZh, whatEn, code string) {
	im.problems = append(im.problems, onboard.RowProblem{Sheet: r.Sheet, Row: r.Row, Field: field, Code: "unknown",
		MessageZh: fmt.Sprintf("找不到%s“%s”（需已存在或在文件中先出现）", whatZh, code),
		MessageEn: fmt.Sprintf("no %s %q (it must exist or come earlier in the file)", whatEn, code)})
}

func (im *importer) done(entity string, r onboard.Ref, key, outcome string) {
	im.outcomes = append(im.outcomes, onboard.RowOutcome{Entity: entity, Sheet: r.Sheet, Row: r.Row, Key: key, Outcome: outcome})
}

// lookup finds an id by a query over natural keys; "" when there is none.
func (im *importer) lookup(q string, args ...any) (string, error) {
	var id string
	err := im.c.queryRow(im.ctx, q, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// cached memoises lookups of parents that many rows name.
func (im *importer) cached(kind string, find func() (string, error), codes ...string) (string, error) {
	key := kind + "\x00" + strings.Join(codes, "\x00")
	if id, ok := im.ids[key]; ok {
		return id, nil
	}
	id, err := find()
	if err == nil && id != "" {
		im.ids[key] = id
	}
	return id, err
}

func (im *importer) parkID(code string) (string, error) {
	return im.cached("park", func() (string, error) {
		return im.lookup(`SELECT id FROM parks WHERE code = ?`, code)
	}, code)
}

func (im *importer) buildingID(parkID, code string) (string, error) {
	return im.cached("building", func() (string, error) {
		return im.lookup(`SELECT id FROM buildings WHERE park_id = ? AND code = ?`, parkID, code)
	}, parkID, code)
}

func (im *importer) floorID(buildingID string, level int) (string, error) {
	return im.cached("floor", func() (string, error) {
		return im.lookup(`SELECT id FROM floors WHERE building_id = ? AND level = ?`, buildingID, level)
	}, buildingID, strconv.Itoa(level))
}

func (im *importer) unitID(parkID, code string) (string, error) {
	return im.cached("unit", func() (string, error) {
		return im.lookup(`SELECT id FROM units WHERE park_id = ? AND code = ?`, parkID, code)
	}, parkID, code)
}

// enterpriseID finds a company by credit code, or by exact name among those without one.
func (im *importer) enterpriseID(key string) (string, error) {
	return im.cached("enterprise", func() (string, error) {
		id, err := im.lookup(`SELECT id FROM enterprises WHERE credit_code = ?`, key)
		if err != nil || id != "" {
			return id, err
		}
		return im.lookup(`SELECT id FROM enterprises WHERE name = ? AND credit_code IS NULL ORDER BY created_at LIMIT 1`, key)
	}, key)
}

// parent resolves a row's park, answering "" after recording the problem when it is unknown.
func (im *importer) park(r onboard.Ref, code string) (string, error) {
	id, err := im.parkID(code)
	if err == nil && id == "" {
		im.unknown(r, "park_code", "园区编码", "park code", code)
	}
	return id, err
}

func (im *importer) parks(b onboard.Batch) error {
	for _, r := range b.Parks {
		id, err := im.parkID(r.Code)
		if err != nil {
			return err
		}
		err = upsert(im, onboard.Parks, r.Ref, r.Code, id, r.Park,
			func(p space.Park) error { _, err := im.w.CreatePark(im.ctx, im.sc, p); return err },
			func(id string) (space.Park, error) { return im.s.getPark(im.ctx, im.c, im.sc, id) }, nil,
			func(p space.Park) error { _, err := im.w.UpdatePark(im.ctx, im.sc, p); return err })
		if err != nil {
			return err
		}
	}
	return nil
}

// upsert creates the row's record when id is "", else changes the columns the file has when
// they differ from the record (adjust sets what the columns name by code); refusals become
// problems.
func upsert[T any](im *importer, entity string, r onboard.Ref, key, id string, row T, create func(T) error,
	get func(id string) (T, error), adjust func(next *T), update func(T) error) error {
	if id == "" {
		return im.create(entity, r, key, func() error { return create(row) })
	}
	old, err := get(id)
	if err != nil {
		return im.refuse(r, err)
	}
	next := old
	onboard.Overlay(&next, row, r)
	if adjust != nil {
		adjust(&next)
	}
	return im.apply(entity, r, key, onboard.Same(old, next), func() error { return update(next) })
}

// apply runs an update unless the row changes nothing, and records the outcome or the refusal.
func (im *importer) apply(entity string, r onboard.Ref, key string, unchanged bool, update func() error) error {
	if unchanged {
		im.done(entity, r, key, onboard.Unchanged)
		return nil
	}
	if err := update(); err != nil {
		return im.refuse(r, err)
	}
	im.done(entity, r, key, onboard.Changed)
	return nil
}

// create runs a create and records the outcome or the refusal.
func (im *importer) create(entity string, r onboard.Ref, key string, insert func() error) error {
	if err := insert(); err != nil {
		return im.refuse(r, err)
	}
	im.done(entity, r, key, onboard.Created)
	return nil
}

func (im *importer) buildings(b onboard.Batch) error {
	for _, r := range b.Buildings {
		parkID, err := im.park(r.Ref, r.ParkCode)
		if err != nil || parkID == "" {
			if err != nil {
				return err
			}
			continue
		}
		id, err := im.buildingID(parkID, r.Code)
		if err != nil {
			return err
		}
		x := r.Building
		x.ParkID = parkID
		err = upsert(im, onboard.Buildings, r.Ref, r.ParkCode+" / "+r.Code, id, x,
			func(x space.Building) error { _, err := im.w.CreateBuilding(im.ctx, im.sc, x); return err },
			func(id string) (space.Building, error) { return im.s.getBuilding(im.ctx, im.c, im.sc, id) }, nil,
			func(x space.Building) error { _, err := im.w.UpdateBuilding(im.ctx, im.sc, x); return err })
		if err != nil {
			return err
		}
	}
	return nil
}

// building resolves a row's park and building, recording what is unknown.
func (im *importer) building(r onboard.Ref, parkCode, code string) (string, string, error) {
	parkID, err := im.park(r, parkCode)
	if err != nil || parkID == "" {
		return "", "", err
	}
	id, err := im.buildingID(parkID, code)
	if err == nil && id == "" {
		im.unknown(r, "building_code", "楼宇编码", "building code", code)
	}
	return parkID, id, err
}

func (im *importer) floors(b onboard.Batch) error {
	for _, r := range b.Floors {
		_, buildingID, err := im.building(r.Ref, r.ParkCode, r.BuildingCode)
		if err != nil {
			return err
		}
		if buildingID == "" {
			continue
		}
		id, err := im.floorID(buildingID, r.Level)
		if err != nil {
			return err
		}
		f := r.Floor
		f.BuildingID = buildingID
		err = upsert(im, onboard.Floors, r.Ref, r.ParkCode+" / "+r.BuildingCode+" / "+strconv.Itoa(r.Level), id, f,
			func(f space.Floor) error { _, err := im.w.CreateFloor(im.ctx, im.sc, f); return err },
			func(id string) (space.Floor, error) { return im.s.getFloor(im.ctx, im.c, im.sc, id) }, nil,
			func(f space.Floor) error { _, err := im.w.UpdateFloor(im.ctx, im.sc, f); return err })
		if err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) units(b onboard.Batch) error {
	for _, r := range b.Units {
		parkID, buildingID, err := im.building(r.Ref, r.ParkCode, r.BuildingCode)
		if err != nil {
			return err
		}
		if buildingID == "" {
			continue
		}
		floorID, err := im.floorID(buildingID, r.FloorLevel)
		if err != nil {
			return err
		}
		if floorID == "" {
			im.unknown(r.Ref, "floor_level", "楼层", "floor", r.BuildingCode+" "+strconv.Itoa(r.FloorLevel))
			continue
		}
		key := r.ParkCode + " / " + r.Code
		id, err := im.unitID(parkID, r.Code)
		if err != nil {
			return err
		}
		if id == "" {
			if err := im.create(onboard.Units, r.Ref, key, func() error { return im.createUnit(r, floorID) }); err != nil {
				return err
			}
			continue
		}
		old, err := im.s.getUnit(im.ctx, im.c, im.sc, id)
		if err != nil {
			if err := im.refuse(r.Ref, err); err != nil {
				return err
			}
			continue
		}
		next := old
		onboard.Overlay(&next, r.Unit, r.Ref)
		if next.FloorID = old.FloorID; floorID != old.FloorID || !next.ValidFrom.Equal(old.ValidFrom) || !next.ValidTo.Equal(old.ValidTo) {
			im.problems = append(im.problems, onboard.RowProblem{Sheet: r.Sheet, Row: r.Row, Field: "valid_from", Code: "history",
				MessageZh: "单元的楼层和启用、停用日期只能通过拆分或合并改变",
				MessageEn: "a unit's floor and validity dates change only by split or merge"})
			continue
		}
		if err := im.apply(onboard.Units, r.Ref, key, onboard.Same(old, next), func() error {
			_, err := im.w.UpdateUnit(im.ctx, im.sc, next)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// createUnit adds a unit; one the file shows as retired (split or merged away before the park
// went live) is retired again from the same day.
func (im *importer) createUnit(r onboard.UnitRow, floorID string) error {
	u := r.Unit
	u.FloorID = floorID
	out, err := im.w.CreateUnit(im.ctx, im.sc, u)
	if err != nil || r.ValidTo.IsZero() {
		return err
	}
	if !r.ValidTo.After(out.ValidFrom) {
		return fieldErr("valid_to", "before_start", "停用日期须晚于启用日期", "valid_to must be after valid_from")
	}
	return im.s.write(im.ctx, func(c conn) error { return im.s.retire(im.ctx, c, out.ID, r.ValidTo) })
}

func (im *importer) enterprises(b onboard.Batch) error {
	for _, r := range b.Enterprises {
		var parkID string
		if r.Has("park_code") && r.ParkCode != "" {
			var err error
			if parkID, err = im.park(r.Ref, r.ParkCode); err != nil {
				return err
			}
			if parkID == "" {
				continue
			}
		}
		key := onboard.EnterpriseKey(r.Enterprise)
		id, err := im.enterpriseID(key)
		if err != nil {
			return err
		}
		e := r.Enterprise
		e.ParkID = parkID
		err = upsert(im, onboard.Enterprises, r.Ref, key, id, e,
			func(e enterprise.Enterprise) error { _, err := im.w.CreateEnterprise(im.ctx, im.sc, e); return err },
			func(id string) (enterprise.Enterprise, error) { return im.s.getEnterprise(im.ctx, im.c, im.sc, id) },
			func(next *enterprise.Enterprise) {
				if parkID != "" { // a blank park code leaves the record's park alone
					next.ParkID = parkID
				}
			},
			func(e enterprise.Enterprise) error { _, err := im.w.UpdateEnterprise(im.ctx, im.sc, e); return err })
		if err != nil {
			return err
		}
	}
	return nil
}

// company resolves the company a row names, recording it when unknown.
func (im *importer) company(r onboard.Ref, key string) (string, error) {
	id, err := im.enterpriseID(key)
	if err == nil && id == "" {
		im.unknown(r, "enterprise_credit_code", "企业", "enterprise", key)
	}
	return id, err
}

func (im *importer) qualifications(b onboard.Batch) error {
	for _, r := range b.Qualifications {
		companyID, err := im.company(r.Ref, r.EnterpriseCode)
		if err != nil {
			return err
		}
		if companyID == "" {
			continue
		}
		key := r.EnterpriseCode + " / " + string(r.Kind) + " / " + r.IssuedOn.String()
		var id string
		if r.IssuedOn.IsZero() {
			id, err = im.lookup(`SELECT id FROM qualifications WHERE enterprise_id = ? AND kind = ? AND issued_on IS NULL`, companyID, r.Kind)
		} else {
			id, err = im.lookup(`SELECT id FROM qualifications WHERE enterprise_id = ? AND kind = ? AND issued_on = ?`, companyID, r.Kind, r.IssuedOn)
		}
		if err != nil {
			return err
		}
		q := r.Qualification
		q.EnterpriseID = companyID
		err = upsert(im, onboard.Qualifications, r.Ref, key, id, q,
			func(q enterprise.Qualification) error {
				_, err := im.w.CreateQualification(im.ctx, im.sc, q)
				return err
			},
			func(id string) (enterprise.Qualification, error) {
				return im.s.getQualification(im.ctx, im.c, im.sc, id)
			}, nil,
			func(q enterprise.Qualification) error {
				_, err := im.w.UpdateQualification(im.ctx, im.sc, q)
				return err
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// unitIDs resolves unit codes of a park, recording the first unknown one under field.
func (im *importer) unitIDs(r onboard.Ref, field, parkID string, codes []string) ([]string, bool, error) {
	ids := make([]string, 0, len(codes))
	for _, code := range codes {
		id, err := im.unitID(parkID, code)
		if err != nil {
			return nil, false, err
		}
		if id == "" {
			im.unknown(r, field, "单元编码", "unit code", code)
			return nil, false, nil
		}
		ids = append(ids, id)
	}
	return ids, true, nil
}

func (im *importer) residencies(b onboard.Batch) error {
	for _, r := range b.Residencies {
		companyID, err := im.company(r.Ref, r.EnterpriseCode)
		if err != nil {
			return err
		}
		parkID, err := im.park(r.Ref, r.ParkCode)
		if err != nil {
			return err
		}
		if companyID == "" || parkID == "" {
			continue
		}
		unitIDs, ok, err := im.unitIDs(r.Ref, "unit_codes", parkID, r.UnitCodes)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		key := r.EnterpriseCode + " / " + r.ParkCode + " / " + r.MoveIn.String()
		id, err := im.lookup(`SELECT id FROM residencies WHERE enterprise_id = ? AND park_id = ? AND move_in = ?`, companyID, parkID, r.MoveIn)
		if err != nil {
			return err
		}
		stay := r.Residency
		stay.EnterpriseID, stay.ParkID, stay.UnitIDs = companyID, parkID, unitIDs
		err = upsert(im, onboard.Residencies, r.Ref, key, id, stay,
			func(x enterprise.Residency) error { _, err := im.w.CreateResidency(im.ctx, im.sc, x); return err },
			func(id string) (enterprise.Residency, error) { return im.s.getResidency(im.ctx, im.c, im.sc, id) },
			func(next *enterprise.Residency) {
				if r.Has("unit_codes") {
					next.UnitIDs = unitIDs
				}
			},
			func(x enterprise.Residency) error { _, err := im.w.UpdateResidency(im.ctx, im.sc, x); return err })
		if err != nil {
			return err
		}
	}
	return nil
}

// contractUnits gathers the dated unit rows of each contract, by park code and number.
func contractUnits(b onboard.Batch) map[[2]string][]onboard.ContractUnitRow {
	out := map[[2]string][]onboard.ContractUnitRow{}
	for _, u := range b.ContractUnits {
		k := [2]string{u.ParkCode, u.ContractNumber}
		out[k] = append(out[k], u)
	}
	return out
}

func (im *importer) contracts(b onboard.Batch) error {
	dated := contractUnits(b)
	seen := map[[2]string]bool{}
	for _, r := range b.Contracts {
		k := [2]string{r.ParkCode, r.Number}
		seen[k] = true
		n := len(im.outcomes)
		if err := im.contract(r, dated[k]); err != nil {
			return err
		}
		if len(im.outcomes) > n { // a contract's dated units share its outcome
			for _, d := range dated[k] {
				im.done(onboard.ContractUnits, d.Ref, r.ParkCode+" / "+r.Number+" / "+d.UnitCode, im.outcomes[n].Outcome)
			}
		}
	}
	for k, rows := range dated {
		if !seen[k] {
			im.unknown(rows[0].Ref, "contract_number", "合同编号", "contract number", k[1])
		}
	}
	return nil
}

func (im *importer) contract(r onboard.ContractRow, dated []onboard.ContractUnitRow) error {
	parkID, err := im.park(r.Ref, r.ParkCode)
	if err != nil {
		return err
	}
	companyID, err := im.company(r.Ref, r.EnterpriseCode)
	if err != nil {
		return err
	}
	if parkID == "" || companyID == "" {
		return nil
	}
	k := r.Contract
	k.EnterpriseID = companyID
	if r.RenewalOfNumber != "" {
		prev, err := im.lookup(`SELECT id FROM contracts WHERE park_id = ? AND number = ?`, parkID, r.RenewalOfNumber)
		if err != nil {
			return err
		}
		if prev == "" {
			im.unknown(r.Ref, "renewal_of_number", "续签的原合同", "contract to renew", r.RenewalOfNumber)
			return nil
		}
		k.RenewalOf = prev
	}
	units, ok, err := im.leaseUnits(r, parkID, dated)
	if err != nil || !ok {
		return err
	}
	k.Units = units
	key := r.ParkCode + " / " + r.Number
	id, err := im.lookup(`SELECT id FROM contracts WHERE park_id = ? AND number = ?`, parkID, r.Number)
	if err != nil {
		return err
	}
	if id == "" {
		if k.Status == "" {
			k.Status = leasing.Draft
		}
		return im.create(onboard.Contracts, r.Ref, key, func() error { _, err := im.w.RecordContract(im.ctx, im.sc, k); return err })
	}
	old, err := im.s.getContract(im.ctx, im.c, im.sc, id)
	if err != nil {
		return im.refuse(r.Ref, err)
	}
	next := old
	onboard.Overlay(&next, k, r.Ref)
	if r.Has("renewal_of_number") {
		next.RenewalOf = k.RenewalOf
	}
	if r.Has("unit_codes") || len(dated) > 0 {
		next.Units = units
	}
	if onboard.Same(old, next) {
		im.done(onboard.Contracts, r.Ref, key, onboard.Unchanged)
		return nil
	}
	if old.Status != leasing.Draft || (next.Status != leasing.Draft && next.Status != leasing.Active) {
		im.problems = append(im.problems, onboard.RowProblem{Sheet: r.Sheet, Row: r.Row, Field: "contract_number", Code: "signed",
			MessageZh: fmt.Sprintf("合同 %s 已签署，导入不能改写；请用变更、续签或解约", r.Number),
			MessageEn: fmt.Sprintf("contract %s is signed and an import cannot rewrite it; amend, renew or terminate it instead", r.Number)})
		return nil
	}
	return im.apply(onboard.Contracts, r.Ref, key, false, func() error {
		if _, err := im.w.UpdateContract(im.ctx, im.sc, id, leasing.TermsOf(next)); err != nil {
			return err
		}
		if next.Status == leasing.Active {
			_, err := im.w.ActivateContract(im.ctx, im.sc, id)
			return err
		}
		return nil
	})
}

// leaseUnits are a contract's units: its dated rows when the file has any, else its unit codes
// for the whole term. An area left empty is the unit's gross area, as when letting by hand.
func (im *importer) leaseUnits(r onboard.ContractRow, parkID string, dated []onboard.ContractUnitRow) ([]leasing.ContractUnit, bool, error) {
	if len(dated) == 0 {
		ids, ok, err := im.unitIDs(r.Ref, "unit_codes", parkID, r.UnitCodes)
		if !ok || err != nil {
			return nil, false, err
		}
		out := make([]leasing.ContractUnit, len(ids))
		for i, id := range ids {
			out[i] = leasing.ContractUnit{UnitID: id, From: r.StartOn, To: r.EndOn}
		}
		return out, true, im.fillAreas(out)
	}
	out := make([]leasing.ContractUnit, 0, len(dated))
	for _, d := range dated {
		ids, ok, err := im.unitIDs(d.Ref, "unit_code", parkID, []string{d.UnitCode})
		if !ok || err != nil {
			return nil, false, err
		}
		u := d.ContractUnit
		u.UnitID = ids[0]
		if u.From.IsZero() {
			u.From = r.StartOn
		}
		if u.To.IsZero() {
			u.To = r.EndOn
		}
		out = append(out, u)
	}
	return out, true, im.fillAreas(out)
}

func (im *importer) fillAreas(units []leasing.ContractUnit) error {
	for i := range units {
		if units[i].Area != 0 {
			continue
		}
		if err := im.c.queryRow(im.ctx, `SELECT gross_area FROM units WHERE id = ?`, units[i].UnitID).Scan(&units[i].Area); err != nil {
			return err
		}
	}
	return nil
}
