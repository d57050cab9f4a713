package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
)

const leadCols = `l.id, l.park_id, l.company, l.credit_code, l.contact_name, l.contact_phone, l.source, l.chain_node_id,
	l.min_area, l.max_area, l.demand_json, l.budget, l.move_in_by, l.headcount, l.owner_id, l.stage, l.probability,
	l.loss_reason, l.next_follow_up, l.last_activity_at, l.enterprise_id, l.contract_id, l.note, l.created_at, l.updated_at`

type leadDemand struct {
	UnitKinds  []string `json:"unit_kinds"`
	Facilities []string `json:"facilities"`
}

func (s *Store) scanLead(r scanner) (leasing.Lead, error) {
	var l leasing.Lead
	var demand string
	err := r.Scan(&l.ID, &l.ParkID, &l.Company, &l.CreditCode, &l.ContactName, &l.ContactPhone, &l.Source,
		nullString{&l.ChainNodeID}, &l.MinArea, &l.MaxArea, &demand, &l.Budget, &l.MoveInBy, &l.Headcount, nullString{&l.OwnerID},
		&l.Stage, &l.Probability, &l.LossReason, &l.NextFollowUp, &l.LastActivityAt, nullString{&l.EnterpriseID},
		nullString{&l.ContractID}, &l.Note, &l.CreatedAt, &l.UpdatedAt)
	if err != nil {
		return l, err
	}
	var d leadDemand
	if err := json.Unmarshal([]byte(demand), &d); err != nil {
		return l, err
	}
	l.UnitKinds, l.Facilities = nonNil(d.UnitKinds), nonNil(d.Facilities)
	l.MarkStale(s.now())
	return l, nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func leadNotFound() error { return notFound("招商线索", "lead") }

// ListLeads lists leads of the caller's parks.
func (s *Store) ListLeads(ctx context.Context, sc identity.Scope, f leasing.LeadFilter, req page.Request) (page.Page[leasing.Lead], error) {
	l := listQuery[leasing.Lead]{
		selectFrom: "SELECT " + leadCols + " FROM leads l",
		idExpr:     "l.id",
		sorts: []sortKey[leasing.Lead]{
			{"updated_at", "l.updated_at", func(x leasing.Lead) any { return x.UpdatedAt }},
			{"company", "l.company", func(x leasing.Lead) any { return x.Company }},
			{"next_follow_up", "COALESCE(l.next_follow_up, '9999-12-31')", func(x leasing.Lead) any {
				if x.NextFollowUp.IsZero() {
					return "9999-12-31"
				}
				return x.NextFollowUp.String()
			}},
			{"probability", "l.probability", func(x leasing.Lead) any { return int64(x.Probability) }},
		},
		scan: byValue(func(r *sql.Rows) (leasing.Lead, error) { return s.scanLead(r) }),
		id:   func(x leasing.Lead) string { return x.ID },
	}
	if req.Sort == "" {
		req.Desc = true
	}
	cond, args := parkScope(sc, "l.park_id", false)
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("l.park_id = ?", f.ParkID)
	}
	if f.Stage != "" {
		l.filter("l.stage = ?", f.Stage)
	}
	if f.OwnerID != "" {
		l.filter("l.owner_id = ?", f.OwnerID)
	}
	if f.Open || f.StaleOnly || !f.FollowUpBy.IsZero() {
		l.filter("l.stage NOT IN ('won', 'lost')")
	}
	if f.StaleOnly {
		l.filter("l.last_activity_at < ?", s.now().Add(-leasing.StaleAfter))
	}
	if !f.FollowUpBy.IsZero() {
		l.filter("l.next_follow_up IS NOT NULL AND l.next_follow_up <= ?", f.FollowUpBy)
	}
	if f.Q != "" {
		l.filter(`(lower(l.company) LIKE ? ESCAPE '\' OR lower(l.contact_name) LIKE ? ESCAPE '\')`, likeContains(f.Q), likeContains(f.Q))
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetLead returns one lead.
func (s *Store) GetLead(ctx context.Context, sc identity.Scope, id string) (leasing.Lead, error) {
	return s.getLead(ctx, s.read(ctx), sc, id)
}

func (s *Store) getLead(ctx context.Context, c conn, sc identity.Scope, id string) (leasing.Lead, error) {
	cond, args := parkScope(sc, "l.park_id", false)
	l, err := s.scanLead(c.queryRow(ctx, "SELECT "+leadCols+" FROM leads l WHERE l.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return l, leadNotFound()
	}
	return l, err
}

func (s *Store) saveLead(ctx context.Context, c conn, l leasing.Lead, insert bool) error {
	demand, _ := json.Marshal(leadDemand{UnitKinds: l.UnitKinds, Facilities: l.Facilities})
	args := []any{l.ParkID, l.Company, l.CreditCode, l.ContactName, l.ContactPhone, l.Source, nullable(l.ChainNodeID), l.MinArea,
		l.MaxArea, string(demand), l.Budget, l.MoveInBy, l.Headcount, nullable(l.OwnerID), l.Stage, l.Probability, l.LossReason,
		l.NextFollowUp, l.LastActivityAt, nullable(l.EnterpriseID), nullable(l.ContractID), l.Note, l.UpdatedAt, l.ID}
	var err error
	if insert {
		_, err = c.exec(ctx, `INSERT INTO leads (park_id, company, credit_code, contact_name, contact_phone, source, chain_node_id,
			min_area, max_area, demand_json, budget, move_in_by, headcount, owner_id, stage, probability, loss_reason, next_follow_up,
			last_activity_at, enterprise_id, contract_id, note, updated_at, id, created_at) VALUES (`+bindParams(25)+`)`,
			append(args, l.CreatedAt)...)
	} else {
		_, err = c.exec(ctx, `UPDATE leads SET park_id = ?, company = ?, credit_code = ?, contact_name = ?, contact_phone = ?,
			source = ?, chain_node_id = ?, min_area = ?, max_area = ?, demand_json = ?, budget = ?, move_in_by = ?, headcount = ?,
			owner_id = ?, stage = ?, probability = ?, loss_reason = ?, next_follow_up = ?, last_activity_at = ?, enterprise_id = ?,
			contract_id = ?, note = ?, updated_at = ? WHERE id = ?`, args...)
	}
	return err
}

func (s *Store) checkLeadRefs(ctx context.Context, c conn, sc identity.Scope, l leasing.Lead) error {
	if err := s.checkParentPark(ctx, c, sc, l.ParkID); err != nil {
		return err
	}
	if l.ChainNodeID != "" {
		if err := checkKnown(ctx, c, "chain_nodes", "id", "chain_node_id", []string{l.ChainNodeID}); err != nil {
			return fieldErr("chain_node_id", "not_found", "产业链环节不存在", "no such chain node")
		}
	}
	if l.OwnerID != "" {
		// The owner must be operator staff assigned to the lead's park (or an administrator).
		owner, err := s.getUser(ctx, c, identity.System(), l.OwnerID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		staff := err == nil && (owner.Role == identity.Admin || (owner.Role.IsOperator() && slices.Contains(owner.ParkIDs, l.ParkID)))
		if !staff {
			return fieldErr("owner_id", "not_found", "负责人不存在或不是本园区的员工", "no such staff member of the lead's park")
		}
	}
	return nil
}

// LockLead locks a lead's row and reads it in the caller's scope, in the transaction of ctx.
func (s *Store) LockLead(ctx context.Context, sc identity.Scope, id string) (leasing.Lead, error) {
	return lockedRead(ctx, s, sc, "leads", id, s.getLead)
}

// CheckLeadRefs resolves the ids a lead names through the caller's scope: its park, its chain
// node and its owner, who must be staff of the lead's park.
func (s *Store) CheckLeadRefs(ctx context.Context, sc identity.Scope, l leasing.Lead) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.checkLeadRefs(ctx, c, sc, l)
}

// InsertLead writes a new lead in the transaction of ctx and reads it back.
func (s *Store) InsertLead(ctx context.Context, sc identity.Scope, l leasing.Lead) (leasing.Lead, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return l, err
	}
	l.ID, l.CreatedAt, l.UpdatedAt = newID(), s.now(), s.now()
	if err := s.saveLead(ctx, c, l, true); err != nil {
		return l, err
	}
	return s.getLead(ctx, c, sc, l.ID)
}

// SaveLead writes a changed lead in the transaction of ctx and reads it back.
func (s *Store) SaveLead(ctx context.Context, sc identity.Scope, l leasing.Lead) (leasing.Lead, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return l, err
	}
	l.UpdatedAt = s.now()
	if err := s.saveLead(ctx, c, l, false); err != nil {
		return l, err
	}
	return s.getLead(ctx, c, sc, l.ID)
}

// DeleteLeadRow removes a lead and its timeline in the transaction of ctx.
func (s *Store) DeleteLeadRow(ctx context.Context, id string) error {
	return s.deleteRow(ctx, "leads", id)
}

// AddLeadActivity puts an entry on a lead's timeline in the transaction of ctx.
func (s *Store) AddLeadActivity(ctx context.Context, sc identity.Scope, a leasing.Activity) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.addActivity(ctx, c, sc, a)
}

// ReleaseLeadHolds lets go of a lead's active holds in the transaction of ctx.
func (s *Store) ReleaseLeadHolds(ctx context.Context, leadID string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE holds SET status = 'released', updated_at = ? WHERE lead_id = ? AND status = 'active'`, s.now(), leadID)
	return err
}

func (s *Store) addActivity(ctx context.Context, c conn, sc identity.Scope, a leasing.Activity) error {
	park, err := ownerOf(ctx, c, "leads", "park_id", a.LeadID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO lead_activities (id, lead_id, park_id, kind, at, user_id, username, text, from_stage, to_stage)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newID(), a.LeadID, park, a.Kind, s.now(), sc.UserID, sc.Username, a.Text, a.FromStage, a.ToStage)
	return err
}

// LeadActivities is a lead's timeline, newest first.
func (s *Store) LeadActivities(ctx context.Context, sc identity.Scope, id string) ([]leasing.Activity, error) {
	if _, err := s.GetLead(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.read(ctx).query(ctx, `SELECT id, lead_id, kind, at, user_id, username, text, from_stage, to_stage
		FROM lead_activities WHERE lead_id = ? ORDER BY at DESC, id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []leasing.Activity{}
	for rows.Next() {
		var a leasing.Activity
		if err := rows.Scan(&a.ID, &a.LeadID, &a.Kind, &a.At, &a.UserID, &a.Username, &a.Text, &a.FromStage, &a.ToStage); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// EnterpriseIDByCreditCode finds the enterprise with a credit code, in the transaction of ctx;
// "" when there is none.
func (s *Store) EnterpriseIDByCreditCode(ctx context.Context, code string) (string, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return "", err
	}
	var id string
	err = c.queryRow(ctx, `SELECT id FROM enterprises WHERE credit_code = ?`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// HeldUnitIDs are the units a lead holds on or after today, in the transaction of ctx.
func (s *Store) HeldUnitIDs(ctx context.Context, leadID string, today civil.Date) ([]string, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT unit_id FROM holds WHERE lead_id = ? AND status = 'active' AND until_on >= ? ORDER BY unit_id`,
		leadID, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var units []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		units = append(units, u)
	}
	return units, rows.Err()
}
