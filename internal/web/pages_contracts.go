package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

func (rq *request) canLease() bool { return rq.scope.May(identity.Lease) }

func statusBadge(rq *request, s leasing.Status) []badge {
	class := map[leasing.Status]string{leasing.Active: "ok", leasing.Draft: "", leasing.Expired: "warn", leasing.Terminated: "bad", leasing.Renewed: "info"}[s]
	return []badge{{rq.t("contract_status." + string(s)), class}}
}

func (s *Server) contractRoutes(mux *http.ServeMux) {
	sv := s.svc
	lister[leasing.Contract, leasing.Filter]{
		path: "/contracts", title: k("contract.list"),
		cols: []colSpec[leasing.Contract]{
			{k("contract.number"), "number", false, func(rq *request, c leasing.Contract) cell {
				return cell{Text: c.Number, Link: "/contracts/" + c.ID, Badges: statusBadge(rq, c.Status)}
			}},
			{k("contract.enterprise"), "", false, func(rq *request, c leasing.Contract) cell {
				return cell{Text: rq.enterpriseName(c.EnterpriseID), Link: "/enterprises/" + c.EnterpriseID, Wrap: true}
			}},
			{k("contract.park"), "", false, func(rq *request, c leasing.Contract) cell { return cell{Text: rq.parkName(c.ParkID)} }},
			{k("contract.units"), "", false, func(rq *request, c leasing.Contract) cell {
				var codes []string
				for _, u := range c.Units {
					codes = append(codes, rq.unitCode(u.UnitID))
				}
				return cell{Text: strings.Join(codes, ", "), Wrap: true}
			}},
			{k("contract.start_on"), "start_on", false, func(rq *request, c leasing.Contract) cell { return cell{Text: c.StartOn.String(), Raw: c.StartOn} }},
			{k("contract.end_on"), "end_on", false, func(rq *request, c leasing.Contract) cell {
				return cell{Text: c.LastDay().String(), Raw: c.LastDay(), Badges: expiryBadge(rq, activeEnd(c))}
			}},
			{k("contract.price"), "", true, func(rq *request, c leasing.Contract) cell {
				return cell{Text: i18n.Price(rq.lang, c.Price, "unit.per_m2_day"), Raw: c.Price}
			}},
		},
		filters: func(rq *request) []fieldSpec {
			parks, _ := rq.parkOptions(k("filter.all"), false)
			return []fieldSpec{
				{Name: "q", Label: k("contract.number"), Kind: "text"},
				{Name: "park_id", Label: k("contract.park"), Kind: "select", Options: parks},
				{Name: "status", Label: k("contract.status"), Kind: "select", Options: enumOptions(rq, "contract_status", leasing.Statuses, k("filter.all"))},
				{Name: "expiring_by", Label: k("contract.expiring_by"), Kind: "date"},
			}
		},
		parse: func(q *httpin.Query) leasing.Filter {
			return leasing.Filter{Q: q.Str("q"), ParkID: q.Str("park_id"), Status: leasing.Status(q.Str("status")),
				ExpiringBy: q.Date("expiring_by"), EnterpriseID: q.Str("enterprise_id"), UnitID: q.Str("unit_id")}
		},
		list: sv.Leasing.ListContracts,
		newURL: func(rq *request) string {
			if rq.canLease() {
				return "/contracts/new"
			}
			return ""
		},
	}.mount(s, mux)
	mux.Handle("GET /contracts/new", s.page(s.contractForm))
	mux.Handle("POST /contracts/new", s.page(s.contractForm))
	mux.Handle("GET /contracts/{id}/edit", s.page(s.contractForm))
	mux.Handle("POST /contracts/{id}/edit", s.page(s.contractForm))
	mux.Handle("GET /contracts/{id}", s.page(s.contractPage))
	mux.Handle("GET /contracts/{id}/schedule/{format}", s.page(s.scheduleExport))
	mux.Handle("POST /contracts/{id}/activate", s.page(s.contractAction))
	mux.Handle("POST /contracts/{id}/terminate", s.page(s.contractAction))
	mux.Handle("POST /contracts/{id}/renew", s.page(s.contractAction))
	mux.Handle("POST /contracts/{id}/amend", s.page(s.contractAction))
	mux.Handle("POST /contracts/{id}/delete", s.page(s.contractAction))
}

// activeEnd is the day an active contract ends, for the expiry badge; others get none.
func activeEnd(c leasing.Contract) civil.Date {
	if c.Status != leasing.Active {
		return civil.Date{}
	}
	return c.LastDay()
}

func contractSpecs(rq *request, parkID string) ([]fieldSpec, error) {
	ents, err := page.All(func(r page.Request) (page.Page[enterprise.Enterprise], error) {
		r.Sort = "name"
		return rq.srv.svc.Enterprise.ListEnterprises(rq.ctx, rq.scope, enterprise.Filter{ParkID: parkID}, r)
	}, 5000)
	if err != nil {
		return nil, err
	}
	entOpts := []option{{Value: "", Label: rq.t("contract.choose_enterprise")}}
	for _, e := range ents {
		entOpts = append(entOpts, option{Value: e.ID, Label: e.Name})
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return nil, err
	}
	units, err := rq.parkUnitOptions(parkID)
	if err != nil {
		return nil, err
	}
	cycles := []option{}
	for _, c := range leasing.PaymentCycles {
		cycles = append(cycles, option{Value: fmt.Sprint(c), Label: rq.t("contract.cycle", c)})
	}
	return []fieldSpec{
		{Name: "park_id", Label: k("contract.park"), Kind: "select", Options: parks, Help: k("help.contract_park")},
		{Name: "number", Label: k("contract.number"), Kind: "text", Required: true},
		{Name: "enterprise_id", Label: k("contract.enterprise"), Kind: "select", Required: true, Options: entOpts},
		{Name: "unit_ids", Label: k("contract.units"), Kind: "multiselect", Required: true, Options: units, Wide: true, Help: k("help.multiselect")},
		{Name: "start_on", Label: k("contract.start_on"), Kind: "date", Required: true},
		{Name: "end_on", Label: k("contract.end_on"), Kind: "date", Required: true},
		{Name: "signed_on", Label: k("contract.signed_on"), Kind: "date"},
		{Name: "price", Label: k("contract.price"), Kind: "number", Required: true, Help: k("help.rent")},
		{Name: "property_fee", Label: k("contract.property_fee"), Kind: "number", Help: k("help.fee")},
		{Name: "payment_cycle", Label: k("contract.payment_cycle"), Kind: "select", Options: cycles},
		{Name: "deposit_months", Label: k("contract.deposit_months"), Kind: "number"},
		{Name: "day_count", Label: k("contract.day_count"), Kind: "select", Options: []option{
			{Value: string(leasing.DayCount365), Label: rq.t("contract.day_count_365")}, {Value: string(leasing.DayCountActual), Label: rq.t("contract.day_count_actual")}}},
		{Name: "rent_free_from", Label: k("contract.rent_free_from"), Kind: "date"},
		{Name: "rent_free_to", Label: k("contract.rent_free_to"), Kind: "date"},
		{Name: "escalation_percent", Label: k("contract.escalation_percent"), Kind: "number", Help: k("help.escalation")},
		{Name: "escalation_every", Label: k("contract.escalation_every"), Kind: "number"},
		{Name: "escalation_from", Label: k("contract.escalation_from"), Kind: "number"},
		{Name: "note", Label: k("common.note"), Kind: "textarea"},
	}, nil
}

// contractValues shows a contract in the flat form.
func contractValues(c leasing.Contract) values {
	v := values{"park_id": {c.ParkID}, "number": {c.Number}, "enterprise_id": {c.EnterpriseID}, "start_on": {c.StartOn.String()},
		"end_on": {c.EndOn.String()}, "signed_on": {c.SignedOn.String()}, "price": {c.Price.String()},
		"property_fee": {c.PropertyFee.String()}, "payment_cycle": {fmt.Sprint(c.PaymentCycle)},
		"deposit_months": {fmt.Sprint(c.DepositMonths)}, "day_count": {string(c.DayCount)}, "note": {c.Note}}
	for _, u := range c.Units {
		v["unit_ids"] = append(v["unit_ids"], u.UnitID)
	}
	if len(c.RentFree) > 0 {
		v["rent_free_from"], v["rent_free_to"] = []string{c.RentFree[0].From.String()}, []string{c.RentFree[0].To.String()}
	}
	if c.Escalation.Kind == "percent" {
		v["escalation_percent"] = []string{measure.Decimal2(c.Escalation.BasisPoints).String()}
		v["escalation_every"] = []string{fmt.Sprint(c.Escalation.EveryMonths)}
		v["escalation_from"] = []string{fmt.Sprint(c.Escalation.FromMonth)}
	}
	return v
}

// formContract reads the flat form into a contract, naming any value that does not parse.
func formContract(v values) (leasing.Contract, error) {
	var f apperr.Fields
	date := func(name string) civil.Date {
		s := first(v, name)
		if s == "" {
			return civil.Date{}
		}
		d, err := civil.Parse(s)
		if err != nil {
			f.Add(name, "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		}
		return d
	}
	number := func(name string) int {
		var n int
		if s := strings.TrimSpace(first(v, name)); s != "" {
			if _, err := fmt.Sscan(s, &n); err != nil {
				f.Add(name, "bad_int", "应为整数", "must be an integer")
			}
		}
		return n
	}
	price := func(name string) measure.Price {
		s := strings.TrimSpace(strings.ReplaceAll(first(v, name), ",", ""))
		if s == "" {
			return 0
		}
		p, err := measure.ParsePrice(s)
		if err != nil {
			f.Add(name, "bad_price", "应为最多四位小数的数字", "must be a number with at most four decimals")
		}
		return p
	}
	c := leasing.Contract{Number: first(v, "number"), EnterpriseID: first(v, "enterprise_id"), StartOn: date("start_on"),
		EndOn: date("end_on"), SignedOn: date("signed_on"), Price: price("price"), PropertyFee: price("property_fee"),
		PaymentCycle: number("payment_cycle"), DepositMonths: number("deposit_months"), DayCount: leasing.DayCount(first(v, "day_count")),
		Note: first(v, "note")}
	for _, id := range v["unit_ids"] {
		if id != "" {
			c.Units = append(c.Units, leasing.ContractUnit{UnitID: id})
		}
	}
	if from, to := date("rent_free_from"), date("rent_free_to"); !from.IsZero() || !to.IsZero() {
		c.RentFree = []leasing.Period{{From: from, To: to}}
	}
	if pct := strings.TrimSpace(first(v, "escalation_percent")); pct != "" && pct != "0" {
		bp, err := measure.ParseDecimal2(pct)
		if err != nil {
			f.Add("escalation_percent", "bad_percent", "应为最多两位小数的百分数", "must be a percentage with at most two decimals")
		}
		c.Escalation = leasing.Escalation{Kind: "percent", BasisPoints: int(bp), EveryMonths: number("escalation_every"), FromMonth: number("escalation_from")}
	}
	return c, f.Err()
}

// contractFieldNames maps the store's field names onto the flat form's.
var contractFieldNames = map[string]string{"units": "unit_ids", "rent_free[0]": "rent_free_from",
	"escalation.basis_points": "escalation_percent", "escalation.every_months": "escalation_every", "escalation.from_month": "escalation_from"}

func renameContractFields(err error) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	for i, fe := range e.Fields {
		if n, ok := contractFieldNames[fe.Field]; ok {
			e.Fields[i].Field = n
		} else if strings.HasPrefix(fe.Field, "units[") {
			e.Fields[i].Field = "unit_ids"
		}
	}
	return e
}

// contractForm creates (as a draft, or signed with "sign") or edits a draft.
func (s *Server) contractForm(rq *request) error {
	id := rq.r.PathValue("id")
	var cur leasing.Contract
	if id != "" {
		var err error
		if cur, err = s.svc.Leasing.GetContract(rq.ctx, rq.scope, id); err != nil {
			return err
		}
	} else if !rq.canLease() {
		return apperr.ErrForbidden()
	}
	vals := contractValues(cur)
	if id == "" {
		vals = values{"park_id": {rq.r.URL.Query().Get("park_id")}, "enterprise_id": {rq.r.URL.Query().Get("enterprise_id")},
			"unit_ids": {rq.r.URL.Query().Get("unit_id")}, "payment_cycle": {"3"}, "deposit_months": {"3"}, "day_count": {"365/12"}}
		if vals["park_id"][0] == "" && len(rq.scope.ParkIDs) > 0 {
			vals["park_id"] = []string{rq.scope.ParkIDs[0]}
		}
	}
	var saveErr error
	if rq.r.Method == http.MethodPost {
		posted, err := rq.formValues()
		if err != nil {
			return err
		}
		vals = posted
		next, perr := formContract(posted)
		saveErr = perr
		if saveErr == nil {
			if id == "" {
				in := leasing.NewContract{ContractTerms: leasing.TermsOf(next), RenewalOf: next.RenewalOf, Status: leasing.Draft}
				if first(posted, "sign") == "true" {
					in.Status = leasing.Active
				}
				next, saveErr = s.svc.Leasing.CreateContract(rq.ctx, rq.scope, in)
			} else {
				next, saveErr = s.svc.Leasing.UpdateContract(rq.ctx, rq.scope, id, leasing.TermsOf(next))
			}
		}
		if saveErr == nil {
			return rq.redirect("/contracts/" + next.ID)
		}
		if !formError(saveErr) {
			return saveErr
		}
		saveErr = renameContractFields(saveErr)
	}
	specs, err := contractSpecs(rq, first(vals, "park_id"))
	if err != nil {
		return err
	}
	if id == "" {
		specs = append(specs, fieldSpec{Name: "sign", Label: k("contract.sign_now"), Kind: "checkbox", Help: k("help.sign_now")})
	}
	title := rq.t("contract.new")
	crumbs := []crumb{{rq.t("nav.contracts"), "/contracts"}}
	if id != "" {
		title = rq.t("contract.edit")
		crumbs = append(crumbs, crumb{cur.Number, "/contracts/" + id})
	}
	return s.showCustomForm(rq, title, specs, vals, saveErr, crumbs)
}

type scheduleRow struct {
	Line leasing.Line
	Unit string
}

type contractView struct {
	C          leasing.Contract
	Enterprise string
	ParkName   string
	Units      []struct {
		Code, ID string
		U        leasing.ContractUnit
	}
	Schedule leasing.Schedule
	Rows     []scheduleRow
	CanLease bool
	// ParkUnits offers the units an amendment can add.
	ParkUnits []option
	Error     string
}

func (s *Server) contractPage(rq *request) error {
	c, err := s.svc.Leasing.GetContract(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showContract(rq, c, "")
}

func (s *Server) showContract(rq *request, c leasing.Contract, problem string) error {
	v := contractView{C: c, Enterprise: rq.enterpriseName(c.EnterpriseID), ParkName: rq.parkName(c.ParkID), Schedule: c.Schedule(),
		CanLease: rq.canLease(), Error: problem}
	for _, u := range c.Units {
		v.Units = append(v.Units, struct {
			Code, ID string
			U        leasing.ContractUnit
		}{rq.unitCode(u.UnitID), u.UnitID, u})
	}
	for _, l := range v.Schedule.Lines {
		v.Rows = append(v.Rows, scheduleRow{Line: l, Unit: rq.unitCode(l.UnitID)})
	}
	if v.CanLease && (c.Status == leasing.Active || c.Status == leasing.Draft) {
		units, err := rq.parkUnitOptions(c.ParkID)
		if err != nil {
			return err
		}
		v.ParkUnits = append([]option{{Value: "", Label: "—"}}, units...)
	}
	s.render(rq, "contract", rq.t("contract.title", c.Number), v)
	return nil
}

// contractAction handles the buttons on a contract page: sign, terminate, renew, amend, delete.
// A refused action shows its reason on the page.
func (s *Server) contractAction(rq *request) error {
	id := rq.r.PathValue("id")
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	action := rq.r.URL.Path[strings.LastIndex(rq.r.URL.Path, "/")+1:]
	var next leasing.Contract
	var f apperr.Fields
	day := func(name string) civil.Date {
		d, err := civil.Parse(first(vals, name))
		if err != nil {
			f.Add(name, "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		}
		return d
	}
	switch action {
	case "activate":
		next, err = s.svc.Leasing.ActivateContract(rq.ctx, rq.scope, id)
	case "terminate":
		t := leasing.Termination{TerminatedOn: day("terminated_on")}
		if p := strings.TrimSpace(first(vals, "penalty")); p != "" {
			if t.Penalty, err = measure.ParseYuan(p); err != nil {
				f.Add("penalty", "bad_money", "金额应为最多两位小数的数字", "amount must be a number with at most two decimals")
			}
		}
		if err = f.Err(); err == nil {
			next, err = s.svc.Leasing.TerminateContract(rq.ctx, rq.scope, id, t)
		}
	case "renew":
		r := leasing.Renewal{Number: first(vals, "number"), EndOn: day("end_on")}
		if p := strings.TrimSpace(first(vals, "price")); p != "" {
			price, err := measure.ParsePrice(p)
			if err != nil {
				f.Add("price", "bad_price", "应为最多四位小数的数字", "must be a number with at most four decimals")
			}
			r.Price = &price
		}
		if err = f.Err(); err == nil {
			next, err = s.svc.Leasing.RenewContract(rq.ctx, rq.scope, id, r)
		}
	case "amend":
		a := leasing.Amendment{EffectiveOn: day("effective_on"), Add: nonEmpty(vals["add"]), Remove: nonEmpty(vals["remove"])}
		if err = f.Err(); err == nil {
			next, err = s.svc.Leasing.AmendContract(rq.ctx, rq.scope, id, a)
		}
	case "delete":
		if err = s.svc.Leasing.DeleteContract(rq.ctx, rq.scope, id); err == nil {
			return rq.redirect("/contracts")
		}
	}
	if err == nil {
		return rq.redirect("/contracts/" + next.ID)
	}
	if !formError(err) {
		return err
	}
	cur, gerr := s.svc.Leasing.GetContract(rq.ctx, rq.scope, id)
	if gerr != nil {
		return gerr
	}
	rq.w.WriteHeader(httpx.StatusOf(err))
	return s.showContract(rq, cur, strings.Join(rq.applyErrors(nil, err), "；"))
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// scheduleExport downloads the charge schedule with its convention as the last row.
func (s *Server) scheduleExport(rq *request) error {
	format := rq.r.PathValue("format")
	if format != "csv" && format != "xlsx" {
		return errNotFound
	}
	c, err := s.svc.Leasing.GetContract(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	sched := c.Schedule()
	t := export.Table{Title: c.Number, Columns: []export.Column{
		{Header: rq.t("schedule.period"), Kind: export.Integer}, {Header: rq.t("schedule.from"), Kind: export.Date},
		{Header: rq.t("schedule.to"), Kind: export.Date}, {Header: rq.t("schedule.due_on"), Kind: export.Date},
		{Header: rq.t("schedule.unit"), Kind: export.Text}, {Header: rq.t("schedule.type"), Kind: export.Text},
		{Header: rq.t("schedule.days"), Kind: export.Integer},
		{Header: rq.t("schedule.amount"), Kind: export.Yuan},
		{Header: rq.t("schedule.basis"), Kind: export.Text}}}
	const typeCol, amountCol = 5, 7
	var types []string
	for _, l := range sched.Lines {
		label := rq.t("charge_type." + string(l.Type))
		if !slices.Contains(types, label) {
			types = append(types, label)
		}
		t.Rows = append(t.Rows, []any{l.Period, l.From, l.To, l.DueOn, rq.unitCode(l.UnitID), label, l.Days, l.Amount, l.Basis})
	}
	// One subtotal per charge type, then what is billed without the deposit (held, not earned)
	// and with it; waived rent is shown but never billed.
	for _, label := range types {
		t.Sums = append(t.Sums, export.Sum{Label: rq.t("schedule.subtotal", label), Match: typeCol, Only: label, Of: []int{amountCol}})
	}
	waived, deposit := rq.t("charge_type."+string(leasing.ChargeRentFree)), rq.t("charge_type."+string(leasing.ChargeDeposit))
	t.Sums = append(t.Sums,
		export.Sum{Label: rq.t("schedule.total_excl_deposit"), Match: typeCol, Except: []string{waived, deposit}, Of: []int{amountCol}},
		export.Sum{Label: rq.t("schedule.total"), Match: typeCol, Except: []string{waived}, Of: []int{amountCol}})
	t.Notes = []string{rq.t("schedule.convention") + ": " + string(sched.DayCount) + " — " + sched.Convention}
	return writeTable(rq, "schedule-"+c.Number, format, t)
}
