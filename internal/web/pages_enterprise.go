package web

import (
	"net/http"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/measure"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
)

// expiryBadge marks a date that has passed or comes within 90 days (§3: expiring
// qualifications raise reminders).
func expiryBadge(rq *request, d civil.Date) []badge {
	if d.IsZero() {
		return nil
	}
	days := rq.srv.clock.Today().DaysUntil(d)
	switch {
	case days < 0:
		return []badge{{rq.t("qualification.expired"), "bad"}}
	case days <= 90:
		return []badge{{rq.t("qualification.expires_in", days), "warn"}}
	}
	return nil
}

func (s *Server) enterpriseRoutes(mux *http.ServeMux) {
	sv := s.svc
	lister[enterprise.Enterprise, enterprise.Filter]{
		path: "/enterprises", title: k("enterprise.list"),
		cols: []colSpec[enterprise.Enterprise]{
			{k("enterprise.name"), "name", false, func(rq *request, e enterprise.Enterprise) cell {
				return cell{Text: e.Name, Link: "/enterprises/" + e.ID, Wrap: true}
			}},
			{k("enterprise.credit_code"), "", false, func(rq *request, e enterprise.Enterprise) cell { return cell{Text: e.CreditCode} }},
			{k("enterprise.park"), "", false, func(rq *request, e enterprise.Enterprise) cell { return cell{Text: rq.parkName(e.ParkID)} }},
			{k("enterprise.industry"), "", false, func(rq *request, e enterprise.Enterprise) cell { return cell{Text: e.IndustryCode} }},
			{k("enterprise.stage"), "", false, func(rq *request, e enterprise.Enterprise) cell {
				return cell{Text: enumLabel(rq.lang, "stage", string(e.Stage))}
			}},
			{k("enterprise.employees"), "employees", true, func(rq *request, e enterprise.Enterprise) cell {
				return cell{Text: i18n.Int(int64(e.Employees)), Raw: e.Employees}
			}},
			{k("enterprise.registered_capital"), "registered_capital", true, func(rq *request, e enterprise.Enterprise) cell {
				return cell{Text: i18n.Money(rq.lang, e.RegisteredCapital), Raw: export.InWan(e.RegisteredCapital)}
			}},
		},
		filters: func(rq *request) []fieldSpec {
			parks, _ := rq.parkOptions(k("filter.all"), false)
			return []fieldSpec{
				{Name: "q", Label: k("filter.name_or_code"), Kind: "text"},
				{Name: "park_id", Label: k("enterprise.park"), Kind: "select", Options: parks},
				{Name: "stage", Label: k("enterprise.stage"), Kind: "select", Options: enumOptions(rq, "stage", enterprise.Stages, k("filter.all"))},
				{Name: "qualification", Label: k("enterprise.qualification"), Kind: "select",
					Options: enumOptions(rq, "qualification_kind", enterprise.QualificationKinds, k("filter.all"))},
				{Name: "industry_code", Label: k("filter.industry_prefix"), Kind: "text"},
			}
		},
		parse: func(q *httpin.Query) enterprise.Filter {
			return enterprise.Filter{Q: q.Str("q"), ParkID: q.Str("park_id"), Stage: enterprise.Stage(q.Str("stage")),
				IndustryCode: q.Str("industry_code"), Qualification: enterprise.QualificationKind(q.Str("qualification"))}
		},
		list: sv.Enterprise.ListEnterprises,
		newURL: func(rq *request) string {
			if rq.scope.CanEditEnterprises() {
				return "/enterprises/new"
			}
			return ""
		},
	}.mount(s, mux)
	mux.Handle("GET /enterprises/{id}", s.page(s.enterprisePage))
	resource[enterprise.Enterprise]{
		name: "enterprise", base: "/enterprises", get: sv.Enterprise.GetEnterprise, create: sv.Enterprise.CreateEnterprise,
		update: sv.Enterprise.UpdateEnterprise, remove: sv.Enterprise.DeleteEnterprise,
		setID: func(e *enterprise.Enterprise, id string) { e.ID = id },
		initial: func(rq *request) (enterprise.Enterprise, error) {
			e := enterprise.Enterprise{Stage: "incubating", OwnershipType: "private"}
			if len(rq.scope.ParkIDs) > 0 {
				e.ParkID = rq.scope.ParkIDs[0]
			}
			return e, nil
		},
		detail:      func(e enterprise.Enterprise) string { return "/enterprises/" + e.ID },
		afterDelete: func(enterprise.Enterprise) string { return "/enterprises" },
		crumbs: func(rq *request, e enterprise.Enterprise) []crumb {
			c := []crumb{{rq.t("nav.enterprises"), "/enterprises"}}
			if e.ID != "" {
				c = append(c, crumb{e.Name, "/enterprises/" + e.ID})
			}
			return c
		},
		specs: func(rq *request, _ enterprise.Enterprise, _ bool) ([]fieldSpec, error) {
			var specs []fieldSpec
			if !rq.user.Role.IsEnterprise() {
				empty := msgKey("")
				if rq.scope.AllParks() {
					empty = k("common.none")
				}
				parks, err := rq.parkOptions(empty, true)
				if err != nil {
					return nil, err
				}
				specs = append(specs, fieldSpec{Name: "park_id", Label: k("enterprise.park"), Kind: "select", Options: parks, Help: k("help.enterprise_park")})
			}
			industries, err := rq.industryOptions()
			if err != nil {
				return nil, err
			}
			nodes, err := rq.chainNodeOptions()
			return append(specs,
				fieldSpec{Name: "name", Label: k("enterprise.name"), Kind: "text", Required: true, Wide: true},
				fieldSpec{Name: "name_en", Label: k("enterprise.name_en"), Kind: "text", Wide: true},
				fieldSpec{Name: "credit_code", Label: k("enterprise.credit_code"), Kind: "text", Help: k("help.credit_code")},
				fieldSpec{Name: "legal_representative", Label: k("enterprise.legal_representative"), Kind: "text"},
				fieldSpec{Name: "founded_on", Label: k("enterprise.founded_on"), Kind: "date"},
				fieldSpec{Name: "registered_capital", Label: k("enterprise.registered_capital"), Kind: "number", Help: k("help.yuan")},
				fieldSpec{Name: "ownership_type", Label: k("enterprise.ownership_type"), Kind: "select",
					Options: enumOptions(rq, "ownership", enterprise.OwnershipTypes, k("common.none"))},
				fieldSpec{Name: "industry_code", Label: k("enterprise.industry"), Kind: "select", Options: industries},
				fieldSpec{Name: "stage", Label: k("enterprise.stage"), Kind: "select", Options: enumOptions(rq, "stage", enterprise.Stages, "")},
				fieldSpec{Name: "employees", Label: k("enterprise.employees"), Kind: "number"},
				fieldSpec{Name: "scientist_founded", Label: k("enterprise.scientist_founded"), Kind: "checkbox"},
				fieldSpec{Name: "returnee_founded", Label: k("enterprise.returnee_founded"), Kind: "checkbox"},
				fieldSpec{Name: "website", Label: k("enterprise.website"), Kind: "text"},
				fieldSpec{Name: "contact_name", Label: k("enterprise.contact_name"), Kind: "text"},
				fieldSpec{Name: "contact_phone", Label: k("enterprise.contact_phone"), Kind: "text"},
				fieldSpec{Name: "tags", Label: k("enterprise.tags"), Kind: "list", Help: k("help.tags")},
				fieldSpec{Name: "chain_node_ids", Label: k("enterprise.chain_nodes"), Kind: "multiselect", Wide: true, Options: nodes, Help: k("help.multiselect")},
				fieldSpec{Name: "description", Label: k("common.description"), Kind: "textarea"}), err
		},
	}.mount(s, mux)

	lister[enterprise.Qualification, enterprise.QualificationFilter]{
		path: "/qualifications", title: k("qualification.list"),
		cols: []colSpec[enterprise.Qualification]{
			{k("qualification.enterprise"), "", false, func(rq *request, q enterprise.Qualification) cell {
				return cell{Text: rq.enterpriseName(q.EnterpriseID), Link: "/enterprises/" + q.EnterpriseID, Wrap: true}
			}},
			{k("qualification.kind"), "kind", false, func(rq *request, q enterprise.Qualification) cell {
				return cell{Text: enumLabel(rq.lang, "qualification_kind", string(q.Kind))}
			}},
			{k("qualification.certificate_no"), "", false, func(rq *request, q enterprise.Qualification) cell { return cell{Text: q.CertificateNo} }},
			{k("qualification.issued_on"), "", false, func(rq *request, q enterprise.Qualification) cell {
				return cell{Text: i18n.Date(rq.lang, q.IssuedOn), Raw: q.IssuedOn}
			}},
			{k("qualification.expires_on"), "expires_on", false, func(rq *request, q enterprise.Qualification) cell {
				return cell{Text: i18n.Date(rq.lang, q.ExpiresOn), Raw: q.ExpiresOn, Badges: expiryBadge(rq, q.ExpiresOn)}
			}},
		},
		filters: func(rq *request) []fieldSpec {
			return []fieldSpec{
				{Name: "kind", Label: k("qualification.kind"), Kind: "select", Options: enumOptions(rq, "qualification_kind", enterprise.QualificationKinds, k("filter.all"))},
				{Name: "expiring_within_days", Label: k("qualification.expiring_within"), Kind: "select", Options: []option{
					{"", rq.t("filter.all"), false}, {"30", rq.t("common.days", 30), false}, {"60", rq.t("common.days", 60), false},
					{"90", rq.t("common.days", 90), false}, {"180", rq.t("common.days", 180), false}}},
			}
		},
		parse: func(q *httpin.Query) enterprise.QualificationFilter {
			f := enterprise.QualificationFilter{Kind: enterprise.QualificationKind(q.Str("kind")), EnterpriseID: q.Str("enterprise_id")}
			if d := q.Int("expiring_within_days"); d > 0 {
				f.ExpiringBefore = s.clock.Today().AddDays(d + 1)
			}
			return f
		},
		list: sv.Enterprise.ListQualifications,
	}.mount(s, mux)
	resource[enterprise.Qualification]{
		name: "qualification", base: "/qualifications", get: sv.Enterprise.GetQualification, create: sv.Enterprise.CreateQualification,
		update: sv.Enterprise.UpdateQualification, remove: sv.Enterprise.DeleteQualification,
		setID: func(q *enterprise.Qualification, id string) { q.ID = id },
		initial: func(rq *request) (enterprise.Qualification, error) {
			return enterprise.Qualification{EnterpriseID: rq.r.URL.Query().Get("enterprise_id"), Kind: "high_tech"}, nil
		},
		detail:      func(q enterprise.Qualification) string { return "/enterprises/" + q.EnterpriseID },
		afterDelete: func(q enterprise.Qualification) string { return "/enterprises/" + q.EnterpriseID },
		crumbs: func(rq *request, q enterprise.Qualification) []crumb {
			return []crumb{{rq.t("nav.enterprises"), "/enterprises"}, {rq.enterpriseName(q.EnterpriseID), "/enterprises/" + q.EnterpriseID}}
		},
		specs: func(rq *request, _ enterprise.Qualification, creating bool) ([]fieldSpec, error) {
			var specs []fieldSpec
			if creating {
				specs = append(specs, fieldSpec{Name: "enterprise_id", Kind: "hidden"})
			}
			return append(specs,
				fieldSpec{Name: "kind", Label: k("qualification.kind"), Kind: "select", Required: true,
					Options: enumOptions(rq, "qualification_kind", enterprise.QualificationKinds, "")},
				fieldSpec{Name: "certificate_no", Label: k("qualification.certificate_no"), Kind: "text"},
				fieldSpec{Name: "issued_on", Label: k("qualification.issued_on"), Kind: "date"},
				fieldSpec{Name: "expires_on", Label: k("qualification.expires_on"), Kind: "date", Help: k("help.expires_on")},
				fieldSpec{Name: "board", Label: k("qualification.board"), Kind: "select", Options: enumOptions(rq, "board", enterprise.ListingBoards, k("common.none"))},
				fieldSpec{Name: "ticker", Label: k("qualification.ticker"), Kind: "text"},
				fieldSpec{Name: "note", Label: k("common.note"), Kind: "textarea"}), nil
		},
	}.mount(s, mux)

	resource[enterprise.Residency]{
		name: "residency", base: "/residencies", get: sv.Enterprise.GetResidency, create: sv.Enterprise.CreateResidency,
		update: sv.Enterprise.UpdateResidency, remove: sv.Enterprise.DeleteResidency,
		setID: func(r *enterprise.Residency, id string) { r.ID = id },
		initial: func(rq *request) (enterprise.Residency, error) {
			q := rq.r.URL.Query()
			r := enterprise.Residency{EnterpriseID: q.Get("enterprise_id"), ParkID: q.Get("park_id"), MoveIn: s.clock.Today()}
			if r.ParkID == "" && len(rq.scope.ParkIDs) > 0 {
				r.ParkID = rq.scope.ParkIDs[0]
			}
			return r, nil
		},
		detail:      func(r enterprise.Residency) string { return "/enterprises/" + r.EnterpriseID },
		afterDelete: func(r enterprise.Residency) string { return "/enterprises/" + r.EnterpriseID },
		crumbs: func(rq *request, r enterprise.Residency) []crumb {
			return []crumb{{rq.t("nav.enterprises"), "/enterprises"}, {rq.enterpriseName(r.EnterpriseID), "/enterprises/" + r.EnterpriseID}}
		},
		specs: func(rq *request, r enterprise.Residency, creating bool) ([]fieldSpec, error) {
			parks, err := rq.parkOptions("", true)
			if err != nil {
				return nil, err
			}
			units, err := rq.parkUnitOptions(r.ParkID)
			var specs []fieldSpec
			if creating {
				specs = append(specs, fieldSpec{Name: "enterprise_id", Kind: "hidden"})
			}
			return append(specs,
				fieldSpec{Name: "park_id", Label: k("residency.park"), Kind: "select", Required: true, Options: parks},
				fieldSpec{Name: "unit_ids", Label: k("residency.units"), Kind: "multiselect", Options: units, Wide: true, Help: k("help.residency_units")},
				fieldSpec{Name: "move_in", Label: k("residency.move_in"), Kind: "date", Required: true},
				fieldSpec{Name: "move_out", Label: k("residency.move_out"), Kind: "date"},
				fieldSpec{Name: "note", Label: k("common.note"), Kind: "textarea"}), err
		},
	}.mount(s, mux)
}

// parkUnitOptions lists a park's current units as "building · code".
func (rq *request) parkUnitOptions(parkID string) ([]option, error) {
	if parkID == "" {
		return nil, nil
	}
	units, err := page.All(func(r page.Request) (page.Page[space.Unit], error) {
		return rq.srv.svc.Space.ListUnits(rq.ctx, rq.scope, space.UnitFilter{ParkID: parkID}, r)
	}, 20000)
	var out []option
	for _, u := range units {
		out = append(out, option{Value: u.ID, Label: rq.buildingName(u.BuildingID) + " · " + u.Code})
	}
	return out, err
}

type qualificationRow struct {
	Q      enterprise.Qualification
	Badges []badge
}

// annualRow is one of an enterprise's years on its page: completeness and its own indicators.
type annualRow struct {
	Year               int
	Park               string
	Complete           bool
	Approved, Expected int
	Values             []string
}

type enterpriseView struct {
	Annual         []annualRow
	E              enterprise.Enterprise
	ParkName       string
	Industry       string
	Nodes          []string
	Qualifications []qualificationRow
	Residencies    []residencyRow
	Users          []identity.User
	CanEdit        bool
	CanOperate     bool // operator staff: residencies, delete
	CanAddUser     bool
	// Due are the enterprise's own reports to file, shown to its staff.
	Due []dueReport
	// Deposits, Owed and Credit are its money with the park (§5), for those who may read it.
	Deposits     []billing.Deposit
	Owed, Credit measure.Money
	ShowMoney    bool
}

type dueReport struct {
	ID, Label string
	Deadline  civil.Date
	Late      bool
}

func (s *Server) enterprisePage(rq *request) error {
	e, err := s.svc.Enterprise.GetEnterprise(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	v := enterpriseView{E: e, ParkName: rq.parkName(e.ParkID), CanEdit: rq.scope.CanEditEnterprises() || rq.scope.CanEditOwnEnterprise(e.ID),
		CanOperate: rq.scope.CanEditEnterprises(),
		CanAddUser: rq.user.Role == identity.Admin || rq.scope.CanEditOwnEnterprise(e.ID)}
	if rq.user.Role.IsEnterprise() && rq.user.EnterpriseID == e.ID {
		if v.Due, err = s.dueReports(rq); err != nil {
			return err
		}
	}
	if e.IndustryCode != "" {
		if cls, err := s.svc.Enterprise.IndustryClasses(rq.ctx, rq.scope, "", e.IndustryCode); err == nil && len(cls) > 0 {
			v.Industry = cls[0].Code + " " + cls[0].NameZh
			if rq.lang == "en" {
				v.Industry = cls[0].Code + " " + cls[0].NameEn
			}
		}
	}
	for _, n := range e.ChainNodeIDs {
		v.Nodes = append(v.Nodes, rq.chainNodeName(n))
	}
	years, err := s.svc.Indicators.EnterpriseYears(rq.ctx, rq.scope, e.ID, s.svc.Indicators.DefaultYear(), 5)
	if err != nil {
		return err
	}
	for _, y := range years {
		row := annualRow{Year: y.Year.Year, Park: rq.parkName(y.ParkID), Complete: y.Complete, Approved: y.Approved, Expected: y.Expected}
		for _, code := range []string{"revenue", "rd_intensity", "invention_patents_per_10k", "tax"} {
			row.Values = append(row.Values, valueText(y.Values[code]))
		}
		v.Annual = append(v.Annual, row)
	}
	qs, err := s.svc.Enterprise.ListQualifications(rq.ctx, rq.scope, enterprise.QualificationFilter{EnterpriseID: e.ID}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	for _, q := range qs.Items {
		v.Qualifications = append(v.Qualifications, qualificationRow{Q: q, Badges: expiryBadge(rq, q.ExpiresOn)})
	}
	rs, err := s.svc.Enterprise.ListResidencies(rq.ctx, rq.scope, enterprise.ResidencyFilter{EnterpriseID: e.ID}, page.Request{Limit: page.MaxLimit, Desc: true})
	if err != nil {
		return err
	}
	for _, r := range rs.Items {
		row := residencyRow{Residency: r, ParkName: rq.parkName(r.ParkID)}
		for _, u := range r.UnitIDs {
			row.Units = append(row.Units, rq.unitCode(u))
		}
		v.Residencies = append(v.Residencies, row)
	}
	if v.CanAddUser {
		users, err := s.svc.Accounts.ListUsers(rq.ctx, rq.scope, identity.UserFilter{}, page.Request{Limit: page.MaxLimit})
		if err != nil {
			return err
		}
		for _, u := range users.Items {
			if u.EnterpriseID == e.ID {
				v.Users = append(v.Users, u)
			}
		}
	}
	if v.ShowMoney = rq.bills() || rq.scope.Role.IsEnterprise() || rq.scope.Role == identity.Authority; v.ShowMoney {
		if err := s.enterpriseMoney(rq, &v); err != nil {
			return err
		}
	}
	s.render(rq, "enterprise", e.Name, v)
	return nil
}

// dueReports are the caller's enterprise's drafts and returned reports, with their deadlines.
func (s *Server) dueReports(rq *request) ([]dueReport, error) {
	var out []dueReport
	for _, st := range []stats.Status{stats.Returned, stats.Draft} {
		rs, err := s.svc.Stats.ListReports(rq.ctx, rq.scope, stats.ReportFilter{EnterpriseID: rq.user.EnterpriseID, Status: st}, page.Request{Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, r := range rs.Items {
			p, err := s.svc.Stats.GetPeriod(rq.ctx, rq.scope, r.PeriodID)
			if err != nil {
				return nil, err
			}
			out = append(out, dueReport{ID: r.ID, Label: rq.labelOf(p), Deadline: p.Deadline, Late: s.clock.Today().After(p.Deadline)})
		}
	}
	return out, nil
}

// enterpriseMoney fills an enterprise page's receivables: deposits, what is open and its credit.
func (s *Server) enterpriseMoney(rq *request, v *enterpriseView) error {
	var err error
	if v.Deposits, err = s.svc.Billing.EnterpriseDeposits(rq.ctx, rq.scope, v.E.ID); err != nil {
		return err
	}
	bills, err := page.All(func(r page.Request) (page.Page[billing.Bill], error) {
		return s.svc.Billing.Bills(rq.ctx, rq.scope, billing.Filter{EnterpriseID: v.E.ID}, r)
	}, 10_000)
	if err != nil {
		return err
	}
	for _, b := range bills {
		v.Owed += b.Outstanding
	}
	payments, err := page.All(func(r page.Request) (page.Page[billing.Payment], error) {
		return s.svc.Billing.Payments(rq.ctx, rq.scope, billing.Filter{EnterpriseID: v.E.ID}, r)
	}, 10_000)
	for _, p := range payments {
		if p.ReversedOn.IsZero() {
			v.Credit += p.Unallocated
		}
	}
	return err
}
