// Package policy is support policies and funding (§8): a policy's text, amount rule and
// eligibility as structured conditions over enterprise facts; matching every enterprise with a
// per-condition explanation (政策匹配), the nearly eligible with the one condition they lack;
// applications from draft to disbursement; and 免申即享 policies granted to every eligible
// enterprise for a reviewer to confirm.
package policy

import (
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Status of a policy: drafted, in force once published (between its dates), or withdrawn.
type Status string

const (
	Draft     Status = "draft"
	Published Status = "published"
	Withdrawn Status = "withdrawn"
)

// Statuses of a policy.
var Statuses = []Status{Draft, Published, Withdrawn}

// BenefitTypes are the kinds of support a policy gives.
var BenefitTypes = []string{"subsidy", "rent_subsidy", "talent", "award", "interest_subsidy", "fund", "other"}

// ScopeKinds: a policy covers every park, some parks, or the parks of a district.
var ScopeKinds = []string{"all", "parks", "district"}

// Policy is a support policy (政策).
type Policy struct {
	ID string `json:"id"`
	// OwnerParkID is the park whose operator issued it; empty for the authority's.
	OwnerParkID string     `json:"owner_park_id,omitempty"`
	Title       string     `json:"title"`
	TitleEn     string     `json:"title_en"`
	Issuer      string     `json:"issuer"`
	DocNumber   string     `json:"doc_number"`
	ValidFrom   civil.Date `json:"valid_from"`
	ValidTo     civil.Date `json:"valid_to"`
	Text        string     `json:"text"`
	Benefit     string     `json:"benefit"`
	Amount      AmountRule `json:"amount"`
	Scope       Coverage   `json:"scope"`
	Eligibility Condition  `json:"eligibility"`
	// FactsYear is the year whose approved figures the conditions read; 0: the year before the
	// day of evaluation.
	FactsYear int `json:"facts_year"`
	// AutoGrant: 免申即享 — eligible enterprises are granted without applying.
	AutoGrant   bool      `json:"auto_grant"`
	Status      Status    `json:"status"`
	RuleZh      string    `json:"rule_zh"`
	RuleEn      string    `json:"rule_en"`
	CreatedBy   string    `json:"created_by"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Coverage is which parks' enterprises a policy is for.
type Coverage struct {
	Kind     string   `json:"kind" doc:"all | parks | district"`
	ParkIDs  []string `json:"park_ids,omitempty"`
	District string   `json:"district,omitempty"`
}

// InForce: published and within its dates on day.
func (p Policy) InForce(day civil.Date) bool {
	return p.Status == Published && !p.ValidFrom.After(day) && (p.ValidTo.IsZero() || !p.ValidTo.Before(day))
}

// YearsRead are the years of figures judging p on day reads: its year when its rule or its
// amount reads a figure, and the year before too when the rule reads growth.
func (p Policy) YearsRead(day civil.Date) []int {
	figure, growth := p.Amount.Kind == "percent" || p.Amount.Kind == "bands", false
	var visit func(c Condition)
	visit = func(c Condition) {
		if f, ok := FactOf(c.Fact); ok && f.Figure {
			figure = true
			growth = growth || f.Key == "revenue_growth"
		}
		for _, sub := range c.Of {
			visit(sub)
		}
	}
	visit(p.Eligibility)
	y := p.YearOn(day)
	switch {
	case growth:
		return []int{y, y - 1}
	case figure:
		return []int{y}
	}
	return nil
}

// YearOn is the year of figures the policy reads when judged on day.
func (p Policy) YearOn(day civil.Date) int {
	if p.FactsYear != 0 {
		return p.FactsYear
	}
	return day.Year() - 1
}

// NewPolicy is what a caller writes of a policy.
type NewPolicy struct {
	OwnerParkID string     `json:"owner_park_id,omitempty" doc:"园区运营方发布时为其园区；管委会政策留空 / the issuing park (an operator's policy); empty for the authority's"`
	Title       string     `json:"title"`
	TitleEn     string     `json:"title_en,omitempty"`
	Issuer      string     `json:"issuer"`
	DocNumber   string     `json:"doc_number,omitempty"`
	ValidFrom   civil.Date `json:"valid_from"`
	ValidTo     civil.Date `json:"valid_to"`
	Text        string     `json:"text,omitempty" maxlen:"50000"`
	Benefit     string     `json:"benefit"`
	Amount      AmountRule `json:"amount"`
	Scope       Coverage   `json:"scope"`
	Eligibility Condition  `json:"eligibility"`
	FactsYear   int        `json:"facts_year,omitempty"`
	AutoGrant   bool       `json:"auto_grant,omitempty"`
	// BasedOn is the updated_at of the copy an edit was made to; a change made meanwhile is
	// refused.
	BasedOn time.Time `json:"based_on,omitzero" doc:"所改版本的 updated_at；其间他人已改则拒绝 / the updated_at of the copy edited; refused if changed meanwhile"`
}

// Match is a policy judged for an enterprise.
type Match struct {
	PolicyID     string      `json:"policy_id"`
	PolicyTitle  string      `json:"policy_title"`
	EnterpriseID string      `json:"enterprise_id"`
	Enterprise   string      `json:"enterprise"`
	ParkID       string      `json:"park_id"`
	Outcome      Outcome     `json:"outcome"`
	Year         int         `json:"year"`
	Estimate     Estimate    `json:"estimate"`
	Explanation  Explanation `json:"explanation"`
	// Short are the conditions (as plain words) that alone keep a nearly matching enterprise
	// out.
	ShortZh []string `json:"short_zh,omitempty"`
	ShortEn []string `json:"short_en,omitempty"`
	// Application is the enterprise's live application to the policy, if any.
	Application string `json:"application_id,omitempty"`
}

// Matches are a policy's eligible (or nearly eligible) enterprises, a page of them explained.
type Matches struct {
	Policy   Policy  `json:"policy"`
	Day      string  `json:"day"`
	Year     int     `json:"year"`
	Judged   int     `json:"judged"`
	Eligible int     `json:"eligible"`
	Near     int     `json:"near"`
	Missing  int     `json:"missing"`
	Total    int     `json:"total"`
	Offset   int     `json:"offset"`
	Items    []Match `json:"items"`
	// EstimateTotal is the sum of the eligible enterprises' estimates.
	EstimateTotal measure.Money `json:"estimate_total"`
}

// AppStatus is an application's place in its lifecycle.
type AppStatus string

const (
	AppDraft     AppStatus = "draft"
	Submitted    AppStatus = "submitted"
	UnderReview  AppStatus = "under_review"
	Proposed     AppStatus = "proposed" // 免申即享: granted by matching, awaiting a reviewer's confirmation
	Approved     AppStatus = "approved"
	Rejected     AppStatus = "rejected"
	Disbursed    AppStatus = "disbursed"
	AppWithdrawn AppStatus = "withdrawn"
)

// AppStatuses in lifecycle order.
var AppStatuses = []AppStatus{AppDraft, Submitted, UnderReview, Proposed, Approved, Rejected, Disbursed, AppWithdrawn}

// Application is an enterprise's application for a policy (申报), or a grant made without one.
type Application struct {
	ID           string        `json:"id"`
	PolicyID     string        `json:"policy_id"`
	PolicyTitle  string        `json:"policy_title"`
	EnterpriseID string        `json:"enterprise_id"`
	Enterprise   string        `json:"enterprise"`
	ParkID       string        `json:"park_id"`
	Status       AppStatus     `json:"status"`
	Auto         bool          `json:"auto"`
	Statement    string        `json:"statement"`
	Requested    measure.Money `json:"requested"`
	Estimate     measure.Money `json:"estimate"`
	Approved     measure.Money `json:"approved"`
	Disbursed    measure.Money `json:"disbursed"`
	Reason       string        `json:"reason"`
	CreatedBy    string        `json:"created_by"`
	SubmittedAt  time.Time     `json:"submitted_at,omitzero"`
	DecidedBy    string        `json:"decided_by,omitempty"`
	DecidedAt    time.Time     `json:"decided_at,omitzero"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// Disbursement is a payment of an approved grant (拨付), one instalment or the whole.
type Disbursement struct {
	ID            string        `json:"id"`
	ApplicationID string        `json:"application_id"`
	PaidOn        civil.Date    `json:"paid_on"`
	Amount        measure.Money `json:"amount"`
	Reference     string        `json:"reference"`
	CreatedBy     string        `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
}

// Note is a reviewer's note on an application; applicants never see them.
type Note struct {
	ID        string    `json:"id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Document is a file attached to an application.
type Document struct {
	ID          string    `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// ApplicationDetail is an application with its payments, documents, reviewers' notes (for
// reviewers only) and the eligibility explanation as of today.
type ApplicationDetail struct {
	Application
	Disbursements []Disbursement `json:"disbursements"`
	Documents     []Document     `json:"documents"`
	Notes         []Note         `json:"notes"`
	Match         Match          `json:"match"`
	// Actions are what the caller may do now.
	Actions []string `json:"actions"`
}

// AppFilter narrows application lists.
type AppFilter struct {
	PolicyID     string
	EnterpriseID string
	ParkID       string
	Status       AppStatus
	Year         int // of creation
}

// Total is a tally of applications by one key (policy, park, year or enterprise).
type Total struct {
	Key          string        `json:"key"`
	Name         string        `json:"name"`
	Eligible     int           `json:"eligible"`
	Applied      int           `json:"applied"`
	Approved     int           `json:"approved"`
	Rejected     int           `json:"rejected"`
	Disbursed    int           `json:"disbursed"`
	Enterprises  int           `json:"enterprises"`
	ApprovedSum  measure.Money `json:"approved_sum"`
	DisbursedSum measure.Money `json:"disbursed_sum"`
}

// Totals are the tallies by a key.
type Totals struct {
	By    string  `json:"by"`
	Rows  []Total `json:"rows"`
	Total Total   `json:"total"`
}

// Annex is a note or document added to an application, as the audit trail records it: with the
// application's enterprise and park.
type Annex struct {
	ApplicationID string    `json:"application_id"`
	EnterpriseID  string    `json:"enterprise_id"`
	ParkID        string    `json:"park_id"`
	Note          *Note     `json:"note,omitempty"`
	Document      *Document `json:"document,omitempty"`
}
