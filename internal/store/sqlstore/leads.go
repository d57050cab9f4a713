package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/enterprise"
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

// canWorkLeads: the roles that run the 招商 pipeline.
func canWorkLeads(sc identity.Scope) bool { return sc.May(identity.WorkLeads) }

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
		scan: func(r *sql.Rows) (leasing.Lead, error) { return s.scanLead(r) },
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
	return l.run(ctx, s.read(), req)
}

// GetLead returns one lead.
func (s *Store) GetLead(ctx context.Context, sc identity.Scope, id string) (leasing.Lead, error) {
	return s.getLead(ctx, s.read(), sc, id)
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
	if err := s.checkParentPark(ctx, c, sc, l.ParkID, canWorkLeads(sc)); err != nil {
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

// CreateLead adds a lead; its owner defaults to the person entering it.
func (s *Store) CreateLead(ctx context.Context, sc identity.Scope, l leasing.Lead) (leasing.Lead, error) {
	if err := requireRole(canWorkLeads(sc)); err != nil {
		return l, err
	}
	l.EnterpriseID, l.ContractID, l.Stage = "", "", "new"
	if l.OwnerID == "" {
		l.OwnerID = sc.UserID
	}
	if err := l.Validate(); err != nil {
		return l, err
	}
	l.ID, l.CreatedAt, l.UpdatedAt, l.LastActivityAt = newID(), s.now(), s.now(), s.now()
	var out leasing.Lead
	err := s.write(ctx, func(c conn) error {
		if err := s.checkLeadRefs(ctx, c, sc, l); err != nil {
			return err
		}
		if err := s.saveLead(ctx, c, l, true); err != nil {
			return err
		}
		var err error
		if out, err = s.getLead(ctx, c, sc, l.ID); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "create", "lead", l.ID, nil, out)
	})
	return out, err
}

// changeLead loads a lead for a change by pipeline staff and records the change.
func (s *Store) changeLead(ctx context.Context, sc identity.Scope, id, action string, fn func(c conn, l *leasing.Lead) error) (leasing.Lead, error) {
	var out leasing.Lead
	err := s.write(ctx, func(c conn) error {
		old, err := s.getLead(ctx, c, sc, id)
		if err != nil {
			return err
		}
		if err := requireRole(canWorkLeads(sc)); err != nil {
			return err
		}
		l := old
		if err := fn(c, &l); err != nil {
			return err
		}
		l.UpdatedAt = s.now()
		if err := s.saveLead(ctx, c, l, false); err != nil {
			return err
		}
		if out, err = s.getLead(ctx, c, sc, id); err != nil {
			return err
		}
		return s.record(ctx, c, sc, action, "lead", id, old, out)
	})
	return out, err
}

// UpdateLead edits a lead's details. Stages change only through MoveLead, so that every stage
// change is on the timeline.
func (s *Store) UpdateLead(ctx context.Context, sc identity.Scope, next leasing.Lead) (leasing.Lead, error) {
	return s.changeLead(ctx, sc, next.ID, "update", func(c conn, l *leasing.Lead) error {
		next.ParkID, next.Stage, next.LossReason, next.CreatedAt = l.ParkID, l.Stage, l.LossReason, l.CreatedAt
		next.EnterpriseID, next.ContractID, next.LastActivityAt = l.EnterpriseID, l.ContractID, l.LastActivityAt
		if err := next.Validate(); err != nil {
			return err
		}
		if err := s.checkLeadRefs(ctx, c, sc, next); err != nil {
			return err
		}
		*l = next
		return nil
	})
}

// DeleteLead removes a lead entered by mistake; a converted lead stays as history.
func (s *Store) DeleteLead(ctx context.Context, sc identity.Scope, id string) error {
	return s.write(ctx, func(c conn) error {
		l, err := s.getLead(ctx, c, sc, id)
		if err != nil {
			return err
		}
		if err := requireRole(canWorkLeads(sc)); err != nil {
			return err
		}
		if l.ContractID != "" {
			return conflict("线索已转为合同，不能删除", "the lead has become a contract and cannot be deleted")
		}
		if _, err := c.exec(ctx, `DELETE FROM leads WHERE id = ?`, id); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "delete", "lead", id, l, nil)
	})
}

func (s *Store) addActivity(ctx context.Context, c conn, sc identity.Scope, a leasing.Activity) error {
	_, err := c.exec(ctx, `INSERT INTO lead_activities (id, lead_id, kind, at, user_id, username, text, from_stage, to_stage)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, newID(), a.LeadID, a.Kind, s.now(), sc.UserID, sc.Username, a.Text, a.FromStage, a.ToStage)
	return err
}

// MoveLead moves a lead to another stage: the probability follows the stage's default, a lost
// lead needs a reason and lets go of its holds, and the move goes on the timeline.
func (s *Store) MoveLead(ctx context.Context, sc identity.Scope, id string, m leasing.Move) (leasing.Lead, error) {
	return s.changeLead(ctx, sc, id, "move", func(c conn, l *leasing.Lead) error {
		from := l.Stage
		l.Stage, l.Probability, l.LossReason = m.Stage, 0, m.LossReason
		if m.Stage != "lost" {
			l.LossReason = ""
		}
		if err := l.Validate(); err != nil {
			return err
		}
		if from == l.Stage {
			return fieldErr("stage", "unchanged", "线索已在该阶段", "the lead is already at this stage")
		}
		if m.Stage == "lost" {
			if _, err := c.exec(ctx, `UPDATE holds SET status = 'released', updated_at = ? WHERE lead_id = ? AND status = 'active'`,
				s.now(), id); err != nil {
				return err
			}
		}
		l.LastActivityAt = s.now()
		return s.addActivity(ctx, c, sc, leasing.Activity{LeadID: id, Kind: "stage", Text: m.Note, FromStage: from, ToStage: l.Stage})
	})
}

// AddActivity records contact with a lead.
func (s *Store) AddActivity(ctx context.Context, sc identity.Scope, id string, in leasing.ActivityInput) (leasing.Lead, error) {
	return s.changeLead(ctx, sc, id, "activity", func(c conn, l *leasing.Lead) error {
		var f apperr.Fields
		if !contains(leasing.ActivityKinds, in.Kind) {
			f.Add("kind", "unknown_value", "记录类型须为电话、拜访、会谈或备注", "kind must be call, visit, meeting or note")
		}
		if strings.TrimSpace(in.Text) == "" {
			f.Required("text")
		} else if len([]rune(in.Text)) > 4000 {
			f.Add("text", "too_long", "内容过长", "text is too long")
		}
		if !in.NextFollowUp.IsZero() && in.NextFollowUp.Before(s.clock.Today()) {
			f.Add("next_follow_up", "in_past", "下次跟进日期不能早于今天", "next_follow_up cannot be in the past")
		}
		if err := f.Err(); err != nil {
			return err
		}
		l.LastActivityAt = s.now()
		if !in.NextFollowUp.IsZero() {
			l.NextFollowUp = in.NextFollowUp
		}
		return s.addActivity(ctx, c, sc, leasing.Activity{LeadID: id, Kind: in.Kind, Text: in.Text})
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// LeadActivities is a lead's timeline, newest first.
func (s *Store) LeadActivities(ctx context.Context, sc identity.Scope, id string) ([]leasing.Activity, error) {
	if _, err := s.GetLead(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.read().query(ctx, `SELECT id, lead_id, kind, at, user_id, username, text, from_stage, to_stage
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

// LeadConversion locks an open lead and readies its conversion: the enterprise, found by
// credit code or created from the lead, and the draft contract for the given units or else the
// units the lead holds.
func (s *Store) LeadConversion(ctx context.Context, sc identity.Scope, id string, in leasing.Conversion) (leasing.Contract, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return leasing.Contract{}, err
	}
	if err := s.lockRows(ctx, c, "leads", []string{id}); err != nil {
		return leasing.Contract{}, err
	}
	l, err := s.getLead(ctx, c, sc, id)
	if err != nil {
		return leasing.Contract{}, err
	}
	if err := requireRole(canWorkLeads(sc)); err != nil {
		return leasing.Contract{}, err
	}
	if l.ContractID != "" || l.Stage == "lost" {
		return leasing.Contract{}, conflict("该线索已转化或已丢单", "the lead is already converted or lost")
	}
	entID := l.EnterpriseID
	code := strings.ToUpper(strings.TrimSpace(firstNonEmpty(in.CreditCode, l.CreditCode)))
	if entID == "" && code != "" {
		_ = c.queryRow(ctx, `SELECT id FROM enterprises WHERE credit_code = ?`, code).Scan(&entID)
	}
	if entID == "" {
		e := enterprise.Enterprise{ParkID: l.ParkID, Name: firstNonEmpty(in.EnterpriseName, l.Company), CreditCode: code,
			ContactName: l.ContactName, ContactPhone: l.ContactPhone, Employees: l.Headcount}
		if l.ChainNodeID != "" {
			e.ChainNodeIDs = []string{l.ChainNodeID}
		}
		if err := e.Validate(s.clock.Today()); err != nil {
			return leasing.Contract{}, err
		}
		created, err := s.createEnterprise(ctx, c, sc, e)
		if err != nil {
			return leasing.Contract{}, err
		}
		entID = created.ID
	}
	units := in.UnitIDs
	if len(units) == 0 {
		rows, err := c.query(ctx, `SELECT unit_id FROM holds WHERE lead_id = ? AND status = 'active' AND until_on >= ? ORDER BY unit_id`,
			id, s.clock.Today())
		if err != nil {
			return leasing.Contract{}, err
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return leasing.Contract{}, err
			}
			units = append(units, u)
		}
		rows.Close()
	}
	k := leasing.Contract{Number: in.Number, EnterpriseID: entID, LeadID: id, StartOn: in.StartOn, EndOn: in.EndOn,
		Price: in.Price, PaymentCycle: 3, DepositMonths: 3}
	if k.Price == 0 {
		k.Price = l.Budget
	}
	for _, u := range units {
		k.Units = append(k.Units, leasing.ContractUnit{UnitID: u})
	}
	return k, nil
}

// MarkLeadWon marks a converted lead won by its contract, on its timeline and in the audit.
func (s *Store) MarkLeadWon(ctx context.Context, sc identity.Scope, id string, k leasing.Contract) (leasing.ConversionResult, error) {
	var res leasing.ConversionResult
	c, err := s.txConn(ctx)
	if err != nil {
		return res, err
	}
	l, err := s.getLead(ctx, c, sc, id)
	if err != nil {
		return res, err
	}
	from := l.Stage
	l.Stage, l.Probability, l.EnterpriseID, l.ContractID, l.LastActivityAt, l.UpdatedAt = "won", 100, k.EnterpriseID, k.ID, s.now(), s.now()
	if err := s.saveLead(ctx, c, l, false); err != nil {
		return res, err
	}
	if err := s.addActivity(ctx, c, sc, leasing.Activity{LeadID: id, Kind: "stage", Text: "转化为合同 " + k.Number +
		" / converted to contract " + k.Number, FromStage: from, ToStage: "won"}); err != nil {
		return res, err
	}
	if res.Lead, err = s.getLead(ctx, c, sc, id); err != nil {
		return res, err
	}
	res.EnterpriseID, res.ContractID = k.EnterpriseID, k.ID
	return res, s.record(ctx, c, sc, "convert", "lead", id, nil, res.Lead)
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
