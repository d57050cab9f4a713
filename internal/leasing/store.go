package leasing

import (
	"context"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// Store is what the leasing context reads, each in the caller's scope.
type Store interface {
	ListContracts(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Contract], error)
	GetContract(ctx context.Context, sc identity.Scope, id string) (Contract, error)
	ContractSchedule(ctx context.Context, sc identity.Scope, id string) (Schedule, error)
	GetHold(ctx context.Context, sc identity.Scope, id string) (Hold, error)
	ListHolds(ctx context.Context, sc identity.Scope, f HoldFilter, req page.Request) (page.Page[Hold], error)
	GetLead(ctx context.Context, sc identity.Scope, id string) (Lead, error)
	LeadActivities(ctx context.Context, sc identity.Scope, id string) ([]Activity, error)
	ListLeads(ctx context.Context, sc identity.Scope, f LeadFilter, req page.Request) (page.Page[Lead], error)
	OpenLeads(ctx context.Context, sc identity.Scope, parkID string) ([]Lead, error)
	Targets(ctx context.Context, sc identity.Scope, parkID string) ([]Target, error)
	LeasingReminders(ctx context.Context, sc identity.Scope, today civil.Date) (Reminders, error)
	RentRoll(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) ([]RentRollLine, error)
	OccupancyRows(ctx context.Context, sc identity.Scope, f OccupancyFilter) ([]UnitRow, []LeaseRow, error)
	StackPlan(ctx context.Context, sc identity.Scope, parkID string, on civil.Date, f StackFilter) (StackPlan, error)
}

// ContractStore holds the primitives the leasing context's writes are composed of: contracts,
// leads, holds and targets. Every one but InTx
// runs in the transaction InTx opened; the service decides the order and the rules.
type ContractStore interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	LockContract(ctx context.Context, sc identity.Scope, id string) (Contract, error)
	PrepareContractUnits(ctx context.Context, sc identity.Scope, k *Contract) error
	ResolveContractRefs(ctx context.Context, sc identity.Scope, k Contract) error
	CheckLettable(ctx context.Context, k Contract, units []ContractUnit) error
	ConvertHolds(ctx context.Context, k Contract) error
	InsertContract(ctx context.Context, sc identity.Scope, k Contract) (Contract, error)
	SaveContract(ctx context.Context, sc identity.Scope, k Contract, wasStatus Status) (Contract, error)
	DeleteDraftContract(ctx context.Context, id string) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	// LinkRenewal points an imported renewed contract at its imported successor.
	LinkRenewal(ctx context.Context, prevID, nextID string) error
	// LockLead locks a lead and reads it in the caller's scope.
	LockLead(ctx context.Context, sc identity.Scope, id string) (Lead, error)
	// CheckLeadRefs resolves a lead's park, chain node and owner through the caller's scope.
	CheckLeadRefs(ctx context.Context, sc identity.Scope, l Lead) error
	InsertLead(ctx context.Context, sc identity.Scope, l Lead) (Lead, error)
	SaveLead(ctx context.Context, sc identity.Scope, l Lead) (Lead, error)
	DeleteLeadRow(ctx context.Context, id string) error
	AddLeadActivity(ctx context.Context, sc identity.Scope, a Activity) error
	ReleaseLeadHolds(ctx context.Context, leadID string) error
	InsertHold(ctx context.Context, sc identity.Scope, h Hold) (Hold, error)
	// LockHold locks a hold and reads it in the caller's scope.
	LockHold(ctx context.Context, sc identity.Scope, id string) (Hold, error)
	// SaveHoldStatus moves a hold to h.Status if it still has status was (else 409).
	SaveHoldStatus(ctx context.Context, h Hold, was string) error
	// InsertTarget writes a target for a park the caller operates.
	InsertTarget(ctx context.Context, sc identity.Scope, t Target) (Target, error)
	// TargetIn reads a target of a park the caller operates.
	TargetIn(ctx context.Context, sc identity.Scope, id string) (Target, error)
	DeleteTargetRow(ctx context.Context, id string) error
	// EnterpriseIDByCreditCode finds the enterprise with a credit code ("" when none).
	EnterpriseIDByCreditCode(ctx context.Context, code string) (string, error)
	// InsertEnterprise writes the enterprise a won lead becomes.
	InsertEnterprise(ctx context.Context, sc identity.Scope, e enterprise.Enterprise) (enterprise.Enterprise, error)
	// HeldUnitIDs are the units a lead holds on or after today.
	HeldUnitIDs(ctx context.Context, leadID string, today civil.Date) ([]string, error)
}

// ContractWriter is the contract lifecycle as other flows (an onboarding import) use it: the
// service's, so that a contract written from a file passes the same rules as one typed in.
type ContractWriter interface {
	RecordContract(ctx context.Context, sc identity.Scope, k Contract) (Contract, error)
	UpdateContract(ctx context.Context, sc identity.Scope, id string, ch ContractChange) (Contract, error)
	ActivateContract(ctx context.Context, sc identity.Scope, id string) (Contract, error)
}
