package web

import (
	"net/http"
	"strings"

	"github.com/parkos/parkos/internal/export"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/stats"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

type homeView struct {
	Parks     []space.Park
	Expiring  []qualificationRow
	Names     map[string]string
	Leases    []leaseReminder
	FollowUps []leasing.Lead
	Holds     []holdRow
	Operates  bool
	In90      civil.Date
	Filing    []filingReminder
}

// filingReminder is a reporting period whose deadline is near or recently passed, with how many
// of the caller's enterprises have not submitted.
type filingReminder struct {
	ID, Label string
	Deadline  civil.Date
	Missing   int
	Late      bool
}

// reminderWindow: periods due within two weeks, or overdue by up to two months.
const reminderAhead, reminderBehind = 14, 60

// filingReminders lists the periods in scope with unsubmitted reports near or past their deadline.
func (s *Server) filingReminders(rq *request) ([]filingReminder, error) {
	today := s.clock.Today()
	ps, err := s.svc.Stats.ListPeriods(rq.ctx, rq.scope, stats.PeriodFilter{DeadlineFrom: today.AddDays(-reminderBehind),
		DeadlineTo: today.AddDays(reminderAhead)}, page.Request{Sort: "deadline", Limit: 20})
	if err != nil {
		return nil, err
	}
	var out []filingReminder
	for _, p := range ps.Items {
		progress, err := s.svc.Stats.Progress(rq.ctx, rq.scope, p.ID)
		if err != nil {
			return nil, err
		}
		missing := 0
		for _, g := range progress {
			missing += g.Draft + g.Returned
		}
		if missing > 0 {
			out = append(out, filingReminder{ID: p.ID, Label: rq.labelOf(p), Deadline: p.Deadline, Missing: missing, Late: today.After(p.Deadline)})
		}
	}
	return out, nil
}

// leaseReminder is a lease ending within 90 days, with the 30/60/90-day band it falls in.
type leaseReminder struct {
	C      leasing.Contract
	Tenant string
	Days   int
	Band   int
}

// home: tenants land on their enterprise; everyone else sees their parks and what needs
// attention (qualifications expiring within 90 days).
func (s *Server) home(rq *request) error {
	if rq.user.Role.IsEnterprise() {
		return rq.redirect("/enterprises/" + rq.user.EnterpriseID)
	}
	parks, err := rq.parks()
	if err != nil {
		return err
	}
	v := homeView{Parks: parks, Names: map[string]string{}}
	qs, err := s.svc.Enterprise.ListQualifications(rq.ctx, rq.scope, enterprise.QualificationFilter{ExpiringBefore: s.clock.Today().AddDays(91)},
		page.Request{Sort: "expires_on", Limit: 10})
	if err != nil {
		return err
	}
	for _, q := range qs.Items {
		v.Expiring = append(v.Expiring, qualificationRow{Q: q, Badges: expiryBadge(rq, q.ExpiresOn)})
		v.Names[q.EnterpriseID] = rq.enterpriseName(q.EnterpriseID)
	}
	if err := s.leasingReminders(rq, &v); err != nil {
		return err
	}
	if v.Filing, err = s.filingReminders(rq); err != nil {
		return err
	}
	s.render(rq, "home", rq.t("home.title"), v)
	return nil
}

type searchView struct {
	Q           string
	Parks       []space.Park
	Buildings   []space.Building
	Units       []space.Unit
	Enterprises []enterprise.Enterprise
	Names       map[string]string
}

// search looks for the words in parks, buildings, units and enterprises the user may see.
func (s *Server) search(rq *request) error {
	q := strings.TrimSpace(rq.r.URL.Query().Get("q"))
	v := searchView{Q: q, Names: map[string]string{}}
	if q != "" {
		req := page.Request{Limit: 20}
		parks, err := s.svc.Space.ListParks(rq.ctx, rq.scope, space.ParkFilter{Q: q}, req)
		if err != nil {
			return err
		}
		ents, err := s.svc.Enterprise.ListEnterprises(rq.ctx, rq.scope, enterprise.Filter{Q: q}, req)
		if err != nil {
			return err
		}
		units, err := s.svc.Space.ListUnits(rq.ctx, rq.scope, space.UnitFilter{Q: q}, req)
		if err != nil {
			return err
		}
		v.Parks, v.Enterprises, v.Units = parks.Items, ents.Items, units.Items
		if !rq.user.Role.IsEnterprise() {
			bs, err := s.svc.Space.ListBuildings(rq.ctx, rq.scope, space.BuildingFilter{Q: q}, req)
			if err != nil {
				return err
			}
			v.Buildings = bs.Items
		}
		for _, u := range v.Units {
			v.Names[u.BuildingID] = rq.buildingName(u.BuildingID)
			v.Names[u.ParkID] = rq.parkName(u.ParkID)
		}
		for _, b := range v.Buildings {
			v.Names[b.ParkID] = rq.parkName(b.ParkID)
		}
	}
	s.render(rq, "search", rq.t("search.title"), v)
	return nil
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("GET /login", s.public(s.loginPage))
	mux.Handle("POST /login", s.public(s.loginPost))
	mux.Handle("POST /logout", s.page(s.logout))
	mux.Handle("POST /lang", s.page(s.switchLanguage))
	mux.Handle("GET /{$}", s.listPage(s.home))
	mux.Handle("GET /search", s.listPage(s.search))
	mux.Handle("GET /account", s.page(s.accountPage))
	mux.Handle("POST /account", s.page(s.accountPost))
	mux.Handle("POST /account/password", s.page(s.passwordPost))
	mux.Handle("GET /account/tokens", s.page(s.tokensPage))
	mux.Handle("POST /account/tokens", s.page(s.tokensPage))
	mux.Handle("POST /account/tokens/{id}/revoke", s.page(s.revokeToken))
	mux.Handle("GET /reference", s.page(s.referencePage))
	s.spaceRoutes(mux)
	s.enterpriseRoutes(mux)
	s.contractRoutes(mux)
	s.leadRoutes(mux)
	s.reportRoutes(mux)
	s.indicatorRoutes(mux)
	s.poolRoutes(mux)
	s.goalRoutes(mux)
	s.facilityRoutes(mux)
	s.serviceRoutes(mux)
	s.billingRoutes(mux)
	s.policyRoutes(mux)
	s.eventRoutes(mux)
	s.noticeRoutes(mux)
	s.evaluationRoutes(mux)
	s.cockpitRoutes(mux)
	s.workbookRoutes(mux)
	s.onboardingRoutes(mux)
	mux.Handle("GET /parks/{id}/stack", s.page(s.stackPage))
	s.dashboardRoutes(mux)
	mux.Handle("GET /parks/{id}/rent-roll/{format}", s.page(s.rentRoll))
	s.adminRoutes(mux)
	mux.Handle("/", s.page(func(rq *request) error { return errNotFound }))
}

// leasingReminders fills the home page's reminders for operator staff from the same domain
// figures the API serves: leases expiring within 90, 60 or 30 days, lead follow-ups due today
// or overdue, and holds lapsing within a week.
func (s *Server) leasingReminders(rq *request, v *homeView) error {
	if !rq.user.Role.IsOperator() && rq.user.Role != identity.Admin {
		return nil
	}
	r, err := s.svc.Leasing.Reminders(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	v.Operates, v.In90 = true, r.On.AddDays(90)
	for _, l := range r.Leases {
		v.Leases = append(v.Leases, leaseReminder{C: l.Contract, Tenant: rq.enterpriseName(l.Contract.EnterpriseID), Days: l.Days, Band: l.Band})
	}
	v.FollowUps = r.FollowUps
	for _, h := range r.Holds {
		v.Holds = append(v.Holds, holdRow{H: h, Code: rq.unitCode(h.UnitID)})
	}
	return nil
}

// rentRoll exports the park's 租金台账: every current unit with its status, tenant, lease and
// monthly charges today.
func (s *Server) rentRoll(rq *request) error {
	format := rq.r.PathValue("format")
	if format != "csv" && format != "xlsx" {
		return errNotFound
	}
	parkID, today := rq.r.PathValue("id"), s.clock.Today()
	lines, err := s.svc.Leasing.RentRoll(rq.ctx, rq.scope, parkID, today)
	if err != nil {
		return err
	}
	text := func(key string) export.Column { return export.Column{Header: rq.t(key), Kind: export.Text} }
	t := export.Table{Title: rq.t("rentroll.title"), Columns: []export.Column{
		text("unit.building"), text("floor.label"), text("unit.code"), text("unit.kind"),
		{Header: rq.withUnit(rq.t("unit.gross_area"), export.Area), Kind: export.Area},
		text("contract.status"), text("contract.enterprise"), text("contract.number"),
		{Header: rq.t("contract.start_on"), Kind: export.Date}, {Header: rq.t("contract.end_on"), Kind: export.Date},
		{Header: rq.withUnit(rq.t("contract.price"), export.Price), Kind: export.Price},
		{Header: rq.t("rentroll.monthly_rent"), Kind: export.Yuan},
		{Header: rq.t("rentroll.monthly_fee"), Kind: export.Yuan}},
		Sums: []export.Sum{{Label: rq.t("rentroll.total"), Of: []int{4, 11, 12}}}}
	for _, l := range lines {
		row := []any{l.BuildingName, l.FloorLabel, l.UnitCode, enumLabel(rq.lang, "unit_kind", l.Kind), l.GrossArea,
			rq.t("unit_status." + l.Status), l.Tenant}
		if l.ContractID != "" {
			row = append(row, l.ContractNumber, l.StartOn, l.EndOn, l.Price, l.MonthlyRent, l.MonthlyFee)
		} else {
			row = append(row, nil, nil, nil, nil, nil, nil)
		}
		t.Rows = append(t.Rows, row)
	}
	return writeTable(rq, "rent-roll", format, t)
}
