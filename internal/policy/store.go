package policy

import (
	"context"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

// Store is what policies need of the data layer. Reads resolve ids in the caller's scope;
// writes run in the transaction InTx opened.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	NewID() string

	// UnseenParks are the ids among ids that are no park the caller sees; UnknownChainNodes
	// those that are no chain node.
	UnseenParks(ctx context.Context, sc identity.Scope, ids []string) ([]string, error)
	UnknownChainNodes(ctx context.Context, ids []string) ([]string, error)
	// ParkDistricts are the districts of parks, by park.
	ParkDistricts(ctx context.Context, ids []string) (map[string]string, error)
	// NamesOf names parks and chain nodes by id.
	NamesOf(ctx context.Context, ids []string) (Names, error)

	InsertPolicy(ctx context.Context, p Policy) error
	SavePolicy(ctx context.Context, p Policy) error
	GetPolicy(ctx context.Context, sc identity.Scope, id string) (Policy, error)
	LockPolicy(ctx context.Context, sc identity.Scope, id string) (Policy, error)
	ListPolicies(ctx context.Context, sc identity.Scope, f PolicyFilter, req page.Request) (page.Page[Policy], error)
	// PublishedPolicies are every published policy, for the matcher.
	PublishedPolicies(ctx context.Context) ([]Policy, error)

	// PolicyFacts are the facts of the enterprises a policy covers (its record park among the
	// covered parks) within the caller's scope, with their years of figures asked; with
	// enterpriseID set, that one enterprise's only.
	PolicyFacts(ctx context.Context, sc identity.Scope, cover Coverage, enterpriseID string, years []int) ([]Facts, error)
	// Matched are the enterprises last found eligible for a policy, with their estimates.
	Matched(ctx context.Context, policyID string) (map[string]measure.Money, error)
	// MatchedPolicies are the policies an enterprise was last found eligible for.
	MatchedPolicies(ctx context.Context, enterpriseID string) (map[string]measure.Money, error)
	SaveMatch(ctx context.Context, policyID, enterpriseID string, estimate measure.Money, day civil.Date) error
	DeleteMatch(ctx context.Context, policyID, enterpriseID string) error
	// ClaimStale takes up to n enterprises whose facts changed, off the list.
	ClaimStale(ctx context.Context, n int) ([]string, error)
	// EnterpriseFilings are an enterprise's reports of the years asked (system scope).
	EnterpriseFilings(ctx context.Context, sc identity.Scope, enterpriseID string, years []int) ([]indicator.FilingRow, error)
	SaveYearFacts(ctx context.Context, enterpriseID string, years map[int]YearFigures) error
	// RematchDayDone reports whether every policy was judged again on day; ClaimPolicyRematch
	// is true for the first caller to judge a policy again on day; FinishRematchDay records
	// that every policy was.
	RematchDayDone(ctx context.Context, day civil.Date) (bool, error)
	ClaimPolicyRematch(ctx context.Context, policyID string, day civil.Date) (bool, error)
	FinishRematchDay(ctx context.Context, day civil.Date) error
	GetEnterprise(ctx context.Context, sc identity.Scope, id string) (enterprise.Enterprise, error)

	InsertApplication(ctx context.Context, a Application) error
	SaveApplication(ctx context.Context, a Application) error
	GetApplication(ctx context.Context, sc identity.Scope, id string) (Application, error)
	LockApplication(ctx context.Context, sc identity.Scope, id string) (Application, error)
	ListApplications(ctx context.Context, sc identity.Scope, f AppFilter, req page.Request) (page.Page[Application], error)
	// LiveApplications are the live applications of the enterprises to a policy, by enterprise.
	LiveApplications(ctx context.Context, policyID string, enterpriseIDs []string) (map[string]string, error)
	// LiveApplicationsOf are an enterprise's live applications, by policy.
	LiveApplicationsOf(ctx context.Context, enterpriseID string) (map[string]string, error)
	InsertDisbursement(ctx context.Context, d Disbursement) error
	Disbursements(ctx context.Context, applicationID string) ([]Disbursement, error)
	InsertNote(ctx context.Context, applicationID string, n Note) error
	Notes(ctx context.Context, applicationID string) ([]Note, error)
	InsertDocument(ctx context.Context, applicationID string, d Document, data []byte) error
	Documents(ctx context.Context, applicationID string) ([]Document, error)
	// DocumentData is a document and its application's id, in the caller's scope.
	DocumentData(ctx context.Context, sc identity.Scope, id string) (Document, string, []byte, error)
	// PolicyTallies count applications and eligible enterprises in the caller's scope by a key.
	PolicyTallies(ctx context.Context, sc identity.Scope, by string, f AppFilter) ([]Total, error)
}

// PolicyFilter narrows policy lists.
type PolicyFilter struct {
	Status  Status
	InForce civil.Date // set: only policies in force on the day
	ParkID  string     // covering the park
	Q       string
}

// Notifier tells enterprises of matches and decisions, in the transaction of ctx.
type Notifier interface {
	TellEnterprise(ctx context.Context, enterpriseID string, m notify.Message) error
}
