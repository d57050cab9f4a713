package leasing

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
)

// Stage is where a lead is in the 招商 pipeline.
type Stage string

// Stages in pipeline order.
var Stages = []Stage{"new", "contacted", "site_visit", "proposal", "negotiation", "won", "lost"}

// DefaultProbability is each stage's default chance of signing, in percent (§4).
var DefaultProbability = map[Stage]int{"new": 10, "contacted": 20, "site_visit": 40, "proposal": 60, "negotiation": 80, "won": 100, "lost": 0}

// Sources a lead comes from.
var Sources = []string{"referral", "walk_in", "event", "online", "government", "agent"}

// Facility requirements a lead can state.
var FacilityNeeds = []string{"bsl1", "bsl2", "bsl3", "animal_room", "cleanroom", "fume_exhaust", "pure_water", "heavy_load", "high_power"}

// LossReasons explain lost leads.
var LossReasons = []string{"price", "location", "space_unfit", "facilities", "timing", "competitor", "no_decision", "other"}

// StaleAfter is how long a lead may go without activity before it is flagged stale.
const StaleAfter = 30 * 24 * time.Hour

// Lead is a prospective tenant (招商线索).
type Lead struct {
	ID             string        `json:"id"`
	ParkID         string        `json:"park_id"`
	Company        string        `json:"company"`
	CreditCode     string        `json:"credit_code"`
	ContactName    string        `json:"contact_name"`
	ContactPhone   string        `json:"contact_phone"`
	Source         string        `json:"source"`
	ChainNodeID    string        `json:"chain_node_id"`
	MinArea        measure.Area  `json:"min_area"`
	MaxArea        measure.Area  `json:"max_area"`
	UnitKinds      []string      `json:"unit_kinds"`
	Facilities     []string      `json:"facilities"`
	Budget         measure.Price `json:"budget"` // 元/㎡/天
	MoveInBy       civil.Date    `json:"move_in_by"`
	Headcount      int           `json:"headcount"`
	OwnerID        string        `json:"owner_id"`
	Stage          Stage         `json:"stage"`
	Probability    int           `json:"probability"` // percent
	LossReason     string        `json:"loss_reason"`
	NextFollowUp   civil.Date    `json:"next_follow_up"`
	LastActivityAt time.Time     `json:"last_activity_at"`
	Stale          bool          `json:"stale"` // no activity for 30 days while open
	EnterpriseID   string        `json:"enterprise_id"`
	ContractID     string        `json:"contract_id"`
	Note           string        `json:"note"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// Open reports whether the lead is still being worked.
func (l Lead) Open() bool { return l.Stage != "won" && l.Stage != "lost" }

// MarkStale sets the stale flag as of now.
func (l *Lead) MarkStale(now time.Time) {
	l.Stale = l.Open() && now.Sub(l.LastActivityAt) > StaleAfter
}

// Activity is an entry of a lead's timeline.
type Activity struct {
	ID        string    `json:"id"`
	LeadID    string    `json:"lead_id"`
	Kind      string    `json:"kind"` // call | visit | meeting | note | stage
	At        time.Time `json:"at"`
	UserID    string    `json:"user_id"`
	Username  string    `json:"username"`
	Text      string    `json:"text"`
	FromStage Stage     `json:"from_stage,omitempty"` // a stage move's stages; absent otherwise
	ToStage   Stage     `json:"to_stage,omitempty"`
}

// ActivityKinds users record; "stage" entries are written by stage moves.
var ActivityKinds = []string{"call", "visit", "meeting", "note"}

// Move changes a lead's stage.
type Move struct {
	Stage      Stage  `json:"stage"`
	LossReason string `json:"loss_reason"`
	Note       string `json:"note"`
}

// Conversion turns a won lead into an enterprise and a draft contract without retyping.
type Conversion struct {
	EnterpriseName string        `json:"enterprise_name"` // defaults to the lead's company
	CreditCode     string        `json:"credit_code"`     // defaults to the lead's
	UnitIDs        []string      `json:"unit_ids"`        // defaults to the lead's active holds
	Number         string        `json:"number"`
	StartOn        civil.Date    `json:"start_on"`
	EndOn          civil.Date    `json:"end_on"`
	Price          measure.Price `json:"price"` // defaults to the lead's budget
}

// ConversionResult names what a conversion created.
type ConversionResult struct {
	Lead         Lead   `json:"lead"`
	EnterpriseID string `json:"enterprise_id"`
	ContractID   string `json:"contract_id"`
}

// Validate checks and normalises a lead.
func (l *Lead) Validate() error {
	var f apperr.Fields
	l.Company = strings.TrimSpace(l.Company)
	if l.Company == "" {
		f.Required("company")
	} else if utf8.RuneCountInString(l.Company) > 200 {
		f.Add("company", "too_long", "企业名称不能超过 200 个字符", "company must be at most 200 characters")
	}
	if l.ParkID == "" {
		f.Required("park_id")
	}
	if l.Source == "" {
		l.Source = "walk_in"
	}
	if !slices.Contains(Sources, l.Source) {
		f.Add("source", "unknown_value", "来源无效", "source must be one of "+strings.Join(Sources, ", "))
	}
	if l.MinArea < 0 || l.MaxArea < 0 || (l.MaxArea > 0 && l.MaxArea < l.MinArea) {
		f.Add("max_area", "bad_range", "面积范围无效：最大面积须不小于最小面积", "area range is invalid: max_area must be at least min_area")
	} else if l.MaxArea > check.MaxUnitArea {
		f.Add("max_area", "out_of_range", "面积超出合理范围", "area is implausibly large")
	}
	check.UnitPrice(&f, "budget", l.Budget)
	if l.CreditCode != "" {
		enterprise.CheckCreditCode(&f, "credit_code", l.CreditCode)
	}
	check.Text(&f, "contact_name", l.ContactName, check.NameLen)
	check.Text(&f, "contact_phone", l.ContactPhone, 50)
	check.Text(&f, "note", l.Note, check.NoteLen)
	if l.Headcount < 0 {
		f.Add("headcount", "negative", "人数不能为负数", "headcount cannot be negative")
	}
	for i, n := range l.Facilities {
		if !slices.Contains(FacilityNeeds, n) {
			f.Add(fmt.Sprintf("facilities[%d]", i), "unknown_value", "设施需求无效", "unknown facility need")
		}
	}
	for i, k := range l.UnitKinds {
		if !slices.Contains(space.UnitKinds, space.UnitKind(k)) {
			f.Add(fmt.Sprintf("unit_kinds[%d]", i), "unknown_value", "单元类型无效", "unknown unit kind")
		}
	}
	if l.Stage == "" {
		l.Stage = "new"
	}
	if !slices.Contains(Stages, l.Stage) {
		f.Add("stage", "unknown_value", "阶段无效", "unknown stage")
	}
	if l.Probability == 0 && l.Stage != "lost" {
		l.Probability = DefaultProbability[l.Stage]
	}
	if l.Probability < 0 || l.Probability > 100 {
		f.Add("probability", "out_of_range", "成交概率须在 0 到 100 之间", "probability must be between 0 and 100")
	}
	if l.Stage == "lost" && !slices.Contains(LossReasons, l.LossReason) {
		f.Add("loss_reason", "required", "丢单须选择原因", "a lost lead needs a loss reason")
	}
	if l.UnitKinds == nil {
		l.UnitKinds = []string{}
	}
	if l.Facilities == nil {
		l.Facilities = []string{}
	}
	return f.Err()
}

// Hold reserves a unit for a lead until a day (预留).
type Hold struct {
	ID        string     `json:"id"`
	ParkID    string     `json:"park_id"`
	LeadID    string     `json:"lead_id"`
	UnitID    string     `json:"unit_id"`
	From      civil.Date `json:"from"`
	Until     civil.Date `json:"until"`  // last day held, inclusive
	Status    string     `json:"status"` // active | released | converted | lapsed
	Note      string     `json:"note"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// EffectiveStatus: an active hold past its last day has lapsed.
func (h Hold) EffectiveStatus(today civil.Date) string {
	if h.Status == "active" && h.Until.Before(today) {
		return "lapsed"
	}
	return h.Status
}

// Validate checks a hold's dates.
func (h *Hold) Validate(today civil.Date) error {
	var f apperr.Fields
	if h.LeadID == "" {
		f.Required("lead_id")
	}
	if h.UnitID == "" {
		f.Required("unit_id")
	}
	if h.From.IsZero() {
		h.From = today
	}
	if h.Until.IsZero() {
		f.Required("until")
	} else if h.Until.Before(h.From) {
		f.Add("until", "before_start", "预留截止日不能早于开始日", "until cannot be before from")
	} else if h.From.AddDays(180).Before(h.Until) {
		f.Add("until", "too_long", "预留期不能超过 180 天", "a hold cannot last more than 180 days")
	}
	if h.Status == "" {
		h.Status = "active"
	}
	check.Text(&f, "note", h.Note, check.NoteLen)
	return f.Err()
}

// LeadFilter for lead lists.
type LeadFilter struct {
	ParkID     string
	Stage      Stage
	OwnerID    string
	Q          string
	Open       bool
	FollowUpBy civil.Date // next follow-up on or before
	StaleOnly  bool
}

// HoldFilter for hold lists.
type HoldFilter struct {
	ParkID    string
	LeadID    string
	UnitID    string
	ActiveOn  civil.Date
	LapsingBy civil.Date // active holds ending on or before
}

// Start readies a new lead: at stage "new", owned by its creator unless someone else is named,
// neither an enterprise nor a contract yet.
func (l *Lead) Start(creator string, now time.Time) error {
	l.EnterpriseID, l.ContractID, l.Stage = "", "", "new"
	if l.OwnerID == "" {
		l.OwnerID = creator
	}
	l.LastActivityAt = now
	return l.Validate()
}

// Edit replaces a lead's details. Its park, stage, loss reason, what it was won as and its
// timeline stay: stages change only by MoveTo, so that every move is on the timeline.
func (l *Lead) Edit(next Lead) error {
	next.ID, next.ParkID, next.Stage, next.LossReason, next.CreatedAt = l.ID, l.ParkID, l.Stage, l.LossReason, l.CreatedAt
	next.EnterpriseID, next.ContractID, next.LastActivityAt = l.EnterpriseID, l.ContractID, l.LastActivityAt
	if err := next.Validate(); err != nil {
		return err
	}
	*l = next
	return nil
}

// MoveTo moves the lead to another stage: the probability follows the stage's default and a
// lost lead needs a reason. It returns the timeline entry and whether the lead's holds are let
// go (a lost lead keeps no units).
func (l *Lead) MoveTo(m Move, now time.Time) (entry Activity, releaseHolds bool, err error) {
	from := l.Stage
	l.Stage, l.Probability, l.LossReason = m.Stage, 0, m.LossReason
	if m.Stage != "lost" {
		l.LossReason = ""
	}
	if err := l.Validate(); err != nil {
		return Activity{}, false, err
	}
	if from == l.Stage {
		var f apperr.Fields
		f.Add("stage", "unchanged", "线索已在该阶段", "the lead is already at this stage")
		return Activity{}, false, f.Err()
	}
	l.LastActivityAt = now
	return Activity{LeadID: l.ID, Kind: "stage", Text: m.Note, FromStage: from, ToStage: l.Stage}, m.Stage == "lost", nil
}

// Log records a contact with the lead and its next follow-up, which cannot be before today.
func (l *Lead) Log(in ActivityInput, today civil.Date, now time.Time) (Activity, error) {
	var f apperr.Fields
	if !slices.Contains(ActivityKinds, in.Kind) {
		f.Add("kind", "unknown_value", "记录类型须为电话、拜访、会谈或备注", "kind must be call, visit, meeting or note")
	}
	if strings.TrimSpace(in.Text) == "" {
		f.Required("text")
	} else {
		check.Text(&f, "text", in.Text, check.NoteLen)
	}
	if !in.NextFollowUp.IsZero() && in.NextFollowUp.Before(today) {
		f.Add("next_follow_up", "in_past", "下次跟进日期不能早于今天", "next_follow_up cannot be in the past")
	}
	if err := f.Err(); err != nil {
		return Activity{}, err
	}
	l.LastActivityAt = now
	if !in.NextFollowUp.IsZero() {
		l.NextFollowUp = in.NextFollowUp
	}
	return Activity{LeadID: l.ID, Kind: in.Kind, Text: in.Text}, nil
}

// CheckDeletable refuses to delete a lead that became a contract: it stays as history.
func (l Lead) CheckDeletable() error {
	if l.ContractID != "" {
		return apperr.New(apperr.Conflict, "线索已转为合同，不能删除", "the lead has become a contract and cannot be deleted")
	}
	return nil
}

// Start readies a new, validated hold for a lead: active, in the lead's park. A won or lost
// lead holds nothing.
func (h *Hold) Start(lead Lead) error {
	if !lead.Open() {
		var f apperr.Fields
		f.Add("lead_id", "closed", "线索已成交或丢单，不能再预留", "the lead is won or lost")
		return f.Err()
	}
	h.ParkID, h.Status = lead.ParkID, "active"
	return nil
}

// Release gives a held unit back before its date.
func (h *Hold) Release() error {
	if h.Status != "active" {
		return apperr.New(apperr.Conflict, "只有有效的预留可以释放", "only an active hold can be released")
	}
	h.Status = "released"
	return nil
}

// CheckConvertible refuses to convert a lead already converted or lost.
func (l Lead) CheckConvertible() error {
	if l.ContractID != "" || l.Stage == "lost" {
		return apperr.New(apperr.Conflict, "该线索已转化或已丢单", "the lead is already converted or lost")
	}
	return nil
}

// CreditCodeFor is the credit code a conversion names, else the lead's, normalised.
func (l Lead) CreditCodeFor(in Conversion) string {
	code := in.CreditCode
	if code == "" {
		code = l.CreditCode
	}
	return strings.ToUpper(strings.TrimSpace(code))
}

// NewEnterprise is the enterprise record a won lead becomes when none exists yet.
func (l Lead) NewEnterprise(in Conversion) enterprise.Enterprise {
	name := in.EnterpriseName
	if name == "" {
		name = l.Company
	}
	e := enterprise.Enterprise{ParkID: l.ParkID, Name: name, CreditCode: l.CreditCodeFor(in), ContactName: l.ContactName,
		ContactPhone: l.ContactPhone, Employees: l.Headcount}
	if l.ChainNodeID != "" {
		e.ChainNodeIDs = []string{l.ChainNodeID}
	}
	return e
}

// Draft is the draft contract a conversion makes: the enterprise, the units, the dates and the
// price (the lead's budget unless given), quarterly with three months' deposit.
func (l Lead) Draft(in Conversion, enterpriseID string, unitIDs []string) Contract {
	k := Contract{Number: in.Number, EnterpriseID: enterpriseID, LeadID: l.ID, StartOn: in.StartOn, EndOn: in.EndOn,
		Price: in.Price, PaymentCycle: 3, DepositMonths: 3}
	if k.Price == 0 {
		k.Price = l.Budget
	}
	for _, u := range unitIDs {
		k.Units = append(k.Units, ContractUnit{UnitID: u})
	}
	return k
}

// Win marks the lead won by the contract k and returns the timeline entry.
func (l *Lead) Win(k Contract, now time.Time) Activity {
	from := l.Stage
	l.Stage, l.Probability, l.EnterpriseID, l.ContractID, l.LastActivityAt = "won", 100, k.EnterpriseID, k.ID, now
	return Activity{LeadID: l.ID, Kind: "stage", Text: "转化为合同 " + k.Number + " / converted to contract " + k.Number,
		FromStage: from, ToStage: "won"}
}
