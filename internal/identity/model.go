// Package identity holds users, roles and the Scope every store method is called with (§1).
package identity

import (
	"slices"
	"time"
)

// Role is one of the fixed ParkOS roles.
type Role string

const (
	Admin       Role = "admin"
	Authority   Role = "authority"
	ParkManager Role = "park_manager"
	Leasing     Role = "leasing"
	Service     Role = "service"
	Finance     Role = "finance"
	EntAdmin    Role = "ent_admin"
	EntMember   Role = "ent_member"
)

// Roles lists every role in display order.
var Roles = []Role{Admin, Authority, ParkManager, Leasing, Service, Finance, EntAdmin, EntMember}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// IsOperator is true for park operator staff, who are assigned to parks.
func (r Role) IsOperator() bool {
	return r == ParkManager || r == Leasing || r == Service || r == Finance
}

// IsEnterprise is true for tenant staff, who belong to one enterprise.
func (r Role) IsEnterprise() bool { return r == EntAdmin || r == EntMember }

// User is a person who signs in.
type User struct {
	ID           string    `json:"id"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Email        string    `json:"email"`
	Role         Role      `json:"role"`
	ParkIDs      []string  `json:"park_ids"`      // operator roles: assigned parks
	EnterpriseID string    `json:"enterprise_id"` // enterprise roles: their enterprise
	Locale       string    `json:"locale"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// UserInput is what a client may set on a user. Password is only read on create.
type UserInput struct {
	ID           string   `json:"-"` // the user being edited; never read from a request
	Username     string   `json:"username"`
	DisplayName  string   `json:"display_name"`
	Email        string   `json:"email"`
	Role         Role     `json:"role"`
	ParkIDs      []string `json:"park_ids"`
	EnterpriseID string   `json:"enterprise_id"`
	Locale       string   `json:"locale"`
	Disabled     bool     `json:"disabled"`
	Password     string   `json:"password,omitempty"`
}

// UserChange is a user's settable fields as a merge patch names them: the same fields as
// UserInput, none of them required (the password is changed through its own route).
type UserChange UserInput

// Input returns the editable fields of u.
func (u User) Input() UserInput {
	return UserInput{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Role: u.Role,
		ParkIDs: u.ParkIDs, EnterpriseID: u.EnterpriseID, Locale: u.Locale, Disabled: u.Disabled}
}

// Scope is who is asking. Every store method takes one and filters by it.
type Scope struct {
	UserID       string
	Username     string
	Source       string // where the request came from, for the audit trail: ui | api | cli | system
	Role         Role
	ParkIDs      []string // operator roles
	EnterpriseID string   // enterprise roles
}

// ScopeOf is the scope a signed-in user acts with.
func ScopeOf(u User) Scope {
	return Scope{UserID: u.ID, Username: u.Username, Role: u.Role, ParkIDs: u.ParkIDs, EnterpriseID: u.EnterpriseID}
}

// System is the scope of ParkOS itself (migrations, demo and generator data, CLI as root).
// It is never derived from a request.
func System() Scope { return Scope{Role: Admin, Source: "system"} }

// Via returns the scope marked with the channel it acts through (ui, api, cli).
func (s Scope) Via(source string) Scope {
	s.Source = source
	return s
}

// AllParks is true when the scope reads every park.
func (s Scope) AllParks() bool { return s.Role == Admin || s.Role == Authority }

// HasPark reports whether an operator scope is assigned to park id.
func (s Scope) HasPark(id string) bool {
	return s.AllParks() || (s.Role.IsOperator() && slices.Contains(s.ParkIDs, id))
}

// CanEditSpace: parks, zones, buildings and floors.
func (s Scope) CanEditSpace() bool { return s.May(EditSpace) }

// CanEditUnits: units, including split and merge.
func (s Scope) CanEditUnits() bool { return s.May(EditUnits) }

// CanEditEnterprises: operator staff who look after tenants, and admins.
func (s Scope) CanEditEnterprises() bool { return s.May(EditEnterprises) }

// CanEditOwnEnterprise: tenant administrators edit their own profile and records.
func (s Scope) CanEditOwnEnterprise(enterpriseID string) bool {
	return s.Role == EntAdmin && s.EnterpriseID == enterpriseID
}
