package identity

// Action is something a role may be allowed to do (SPEC §1). Scope still decides which parks
// and enterprises it may be done to; the policy only says which roles may do it at all.
type Action string

const (
	EditSpace       Action = "edit_space"       // parks, zones, buildings, floors, targets
	EditUnits       Action = "edit_units"       // units, split and merge
	EditEnterprises Action = "edit_enterprises" // enterprises, residencies, qualifications of the parks
	Lease           Action = "lease"            // contracts: create, sign, amend, terminate, renew
	WorkLeads       Action = "work_leads"       // leads, activities and holds
	OpenPeriods     Action = "open_periods"     // reporting periods
	ReviewReports   Action = "review_reports"   // approve or return statistical reports
	Onboard         Action = "onboard"          // import and export the onboarding workbook
	ManageUsers     Action = "manage_users"     // user accounts (admins: all; tenant admins: their staff)
	DeleteParks     Action = "delete_parks"
	SteerParks      Action = "steer_parks" // the park pool and tiers, goals, evaluation schemes, park-level figures
	// ManageFacilities: shared resources and their rules, decisions on bookings, training certificates.
	ManageFacilities Action = "manage_facilities"
	// HandleServices: the park's service catalog, its requests (assign, work, resolve, escalate)
	// and its demands to the authority.
	HandleServices Action = "handle_services"
	// Bill: billing runs, bills, payments, deposits, late-fee rules and dunning of the park.
	Bill Action = "bill"
	// ManagePolicies: write support policies and review their applications (the authority any
	// park's, a park manager its park's own).
	ManagePolicies Action = "manage_policies"
)

// Actions in the order the policy table prints them.
var Actions = []Action{EditSpace, EditUnits, EditEnterprises, Lease, WorkLeads, OpenPeriods, ReviewReports, Onboard,
	ManageUsers, DeleteParks, SteerParks, ManageFacilities, HandleServices, Bill, ManagePolicies}

// policy is SPEC §1 as data: for each action, the roles that may take it. Services enforce it
// and the console asks it which actions to offer, so the two never disagree.
var policy = map[Action][]Role{
	EditSpace:        {Admin, ParkManager},
	EditUnits:        {Admin, ParkManager, Leasing},
	EditEnterprises:  {Admin, ParkManager, Leasing, Service},
	Lease:            {Admin, ParkManager, Leasing},
	WorkLeads:        {Admin, ParkManager, Leasing},
	OpenPeriods:      {Admin, Authority, ParkManager},
	ReviewReports:    {Admin, Authority, ParkManager, Service},
	Onboard:          {Admin, ParkManager},
	ManageUsers:      {Admin, EntAdmin},
	DeleteParks:      {Admin},
	SteerParks:       {Admin, Authority},
	ManageFacilities: {Admin, ParkManager, Service},
	HandleServices:   {Admin, ParkManager, Service},
	Bill:             {Admin, ParkManager, Finance},
	ManagePolicies:   {Admin, Authority, ParkManager},
}

// Allows reports whether role r may take action a.
func Allows(r Role, a Action) bool {
	for _, allowed := range policy[a] {
		if allowed == r {
			return true
		}
	}
	return false
}

// May reports whether the scope's role may take action a.
func (s Scope) May(a Action) bool { return Allows(s.Role, a) }

// MayManage reports whether the caller may create or change the account in: the administrator
// any account, an enterprise's administrator the accounts of its own enterprise.
func (s Scope) MayManage(in UserInput) bool {
	if s.Role == Admin {
		return true
	}
	return s.Role == EntAdmin && in.Role.IsEnterprise() && in.EnterpriseID == s.EnterpriseID
}
