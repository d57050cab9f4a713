package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/billpdf"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/uploadstash"
)

func (rq *request) bills() bool { return rq.scope.May(identity.Bill) }

func (s *Server) billingRoutes(mux *http.ServeMux) {
	sv := s.svc
	mux.Handle("GET /billing", s.listPage(s.billingHome))
	mux.Handle("POST /billing", s.page(s.billingHome))
	mux.Handle("GET /billing/bills/{id}", s.page(func(rq *request) error { return s.showBill(rq, nil) }))
	mux.Handle("POST /billing/bills/{id}/{action}", s.page(s.actOnBill))
	mux.Handle("GET /billing/bills/{id}/notice", s.page(s.billNotice))
	mux.Handle("GET /billing/bills/{id}/notice.pdf", s.page(s.billNoticePDF))
	mux.Handle("GET /billing/payments/new", s.page(s.newPayment))
	mux.Handle("POST /billing/payments/new", s.page(s.newPayment))
	mux.Handle("GET /billing/payments/{id}", s.page(func(rq *request) error { return s.showPayment(rq, nil) }))
	mux.Handle("POST /billing/payments/{id}/reverse", s.page(s.reversePayment))
	mux.Handle("GET /billing/bank", s.page(s.bankUpload))
	mux.Handle("POST /billing/bank", s.page(s.bankUpload))
	mux.Handle("GET /billing/bank/{token}", s.page(s.bankPreview))
	mux.Handle("POST /billing/bank/{token}", s.page(s.bankPreview))
	mux.Handle("GET /billing/aging", s.listPage(func(rq *request) error { return s.agingPage(rq, "") }))
	mux.Handle("GET /billing/aging.xlsx", s.listPage(func(rq *request) error { return s.agingPage(rq, "xlsx") }))
	mux.Handle("GET /billing/aging.csv", s.listPage(func(rq *request) error { return s.agingPage(rq, "csv") }))
	mux.Handle("GET /billing/statements/{id}", s.page(s.statementPage))
	mux.Handle("GET /billing/statements/{id}/pdf", s.page(s.statementPDF))
	mux.Handle("GET /billing/contracts/{id}", s.page(func(rq *request) error { return s.contractMoney(rq, nil) }))
	mux.Handle("POST /billing/contracts/{id}/{action}", s.page(s.contractMoneyAction))
	mux.Handle("GET /billing/settings", s.page(s.settingsForm))
	mux.Handle("POST /billing/settings", s.page(s.settingsForm))
	mux.Handle("GET /billing/mine", s.page(s.myBilling))
	mux.Handle("POST /billing/mine/invoice-details", s.page(s.saveInvoiceDetails))
	lister[billing.Bill, billing.Filter]{
		path: "/billing/bills", title: k("billing.bills"),
		cols: []colSpec[billing.Bill]{
			{k("billing.number"), "number", false, func(rq *request, b billing.Bill) cell { return cell{Text: b.Number, Link: "/billing/bills/" + b.ID} }},
			{k("billing.enterprise"), "", false, func(rq *request, b billing.Bill) cell { return cell{Text: b.EnterpriseName, Wrap: true} }},
			{k("billing.due_on"), "due_on", false, func(rq *request, b billing.Bill) cell {
				return cell{Text: i18n.Date(rq.lang, b.DueOn), Raw: b.DueOn, Badges: overdueBadge(rq, b, s.clock.Today())}
			}},
			{k("billing.gross"), "", true, moneyCell(func(b billing.Bill) measure.Money { return b.Gross })},
			{k("billing.paid"), "", true, moneyCell(func(b billing.Bill) measure.Money { return b.Paid })},
			{k("billing.outstanding"), "", true, moneyCell(func(b billing.Bill) measure.Money { return b.Outstanding })},
			{k("billing.status"), "", false, func(rq *request, b billing.Bill) cell {
				return cell{Text: enumLabel(rq.lang, "bill_status", string(b.Status))}
			}},
		},
		filters: func(rq *request) []fieldSpec {
			parks, _ := rq.parkOptions(k("filter.all"), false)
			return []fieldSpec{
				{Name: "park_id", Label: k("billing.park"), Kind: "select", Options: parks},
				{Name: "status", Label: k("billing.status"), Kind: "select", Options: enumOptions(rq, "bill_status", billing.Statuses, k("filter.all"))},
			}
		},
		parse: func(q *httpin.Query) billing.Filter {
			return billing.Filter{ParkID: q.Str("park_id"), EnterpriseID: q.Str("enterprise_id"), Status: billing.Status(q.Str("status")), RunID: q.Str("run_id")}
		},
		list: sv.Billing.Bills,
	}.mount(s, mux)
	lister[billing.Payment, billing.Filter]{
		path: "/billing/payments", title: k("billing.payments"),
		cols: []colSpec[billing.Payment]{
			{k("billing.paid_on"), "paid_on", false, func(rq *request, p billing.Payment) cell {
				return cell{Text: i18n.Date(rq.lang, p.PaidOn), Raw: p.PaidOn, Link: "/billing/payments/" + p.ID}
			}},
			{k("billing.enterprise"), "", false, func(rq *request, p billing.Payment) cell { return cell{Text: p.EnterpriseName, Wrap: true} }},
			{k("billing.amount"), "", true, moneyCell(func(p billing.Payment) measure.Money { return p.Amount })},
			{k("billing.method"), "", false, func(rq *request, p billing.Payment) cell {
				return cell{Text: enumLabel(rq.lang, "pay_method", p.Method)}
			}},
			{k("billing.reference"), "", false, func(rq *request, p billing.Payment) cell { return cell{Text: p.Reference, Wrap: true} }},
			{k("billing.credit"), "", true, moneyCell(func(p billing.Payment) measure.Money { return p.Unallocated })},
			{k("billing.reversed"), "", false, func(rq *request, p billing.Payment) cell {
				if p.ReversedOn.IsZero() {
					return cell{Text: "—"}
				}
				return cell{Text: i18n.Date(rq.lang, p.ReversedOn), Raw: p.ReversedOn}
			}},
		},
		parse: func(q *httpin.Query) billing.Filter {
			return billing.Filter{ParkID: q.Str("park_id"), EnterpriseID: q.Str("enterprise_id")}
		},
		list: sv.Billing.Payments,
		newURL: func(rq *request) string {
			if rq.bills() {
				return "/billing/payments/new"
			}
			return ""
		},
	}.mount(s, mux)
}

func moneyCell[T any](get func(T) measure.Money) func(*request, T) cell {
	return func(rq *request, v T) cell { m := get(v); return cell{Text: i18n.Money(rq.lang, m), Raw: m} }
}

// overdueBadge marks an open bill past its due date.
func overdueBadge(rq *request, b billing.Bill, today civil.Date) []badge {
	if b.Status.Open() && b.DueOn.Before(today) {
		return []badge{{rq.t("billing.overdue_days", b.DueOn.DaysUntil(today)), "bad"}}
	}
	return nil
}

// billingHome is the finance desk: a billing run for a park and day, and the ways in.
func (s *Server) billingHome(rq *request) error {
	if !rq.bills() {
		if rq.scope.Role.IsEnterprise() {
			return rq.redirect("/billing/mine")
		}
		return apperr.ErrForbidden()
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	specs := []fieldSpec{
		{Name: "park_id", Label: k("billing.park"), Kind: "select", Required: true, Options: parks},
		{Name: "billing_date", Label: k("billing.billing_date"), Kind: "date", Required: true, Help: k("billing.billing_date_help")},
		{Name: "issue", Label: k("billing.issue_at_once"), Kind: "checkbox"},
	}
	return formPost(s, rq, rq.t("billing.run"), specs, values{"billing_date": {s.clock.Today().String()}}, nil, func(in billing.Run) (string, error) {
		r, err := s.svc.Billing.RunBilling(rq.ctx, rq.scope, in)
		return "/billing/bills?" + url.Values{"run_id": {r.ID}}.Encode(), err
	})
}

type billView struct {
	B            billing.Bill
	Status       string
	Lines        []lineView
	Invoice      *billing.InvoiceRequest
	Staff        bool
	Tenant       bool
	CanIssue     bool
	CanWriteOff  bool
	CanAskInvoce bool
	Error        string
}

type lineView struct {
	L      billing.Line
	Charge string
}

func (s *Server) showBill(rq *request, failure error) error {
	b, err := s.svc.Billing.Bill(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	inv, err := s.svc.Billing.InvoiceRequestOf(rq.ctx, rq.scope, b.ID)
	if err != nil {
		return err
	}
	staff := rq.bills() && rq.scope.HasPark(b.ParkID)
	v := billView{B: b, Status: enumLabel(rq.lang, "bill_status", string(b.Status)), Invoice: inv, Staff: staff,
		Tenant: rq.scope.Role.IsEnterprise(), CanIssue: staff && b.Status == billing.Draft, CanWriteOff: staff && b.Status.Open(),
		CanAskInvoce: inv == nil && b.Status != billing.Draft && (staff || rq.scope.Role.IsEnterprise())}
	for _, l := range b.Lines {
		v.Lines = append(v.Lines, lineView{L: l, Charge: enumLabel(rq.lang, "charge_type", l.ChargeType)})
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "bill", b.Number, v)
	return nil
}

func (s *Server) actOnBill(rq *request) error {
	id := rq.r.PathValue("id")
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	switch rq.r.PathValue("action") {
	case "issue":
		_, err = s.svc.Billing.Issue(rq.ctx, rq.scope, id)
	case "pay":
		var in billing.NewPayment
		specs := []fieldSpec{{Name: "paid_on", Kind: "date"}, {Name: "amount", Kind: "number"}, {Name: "method"}, {Name: "reference"}, {Name: "as_credit", Kind: "checkbox"}}
		if err = httpin.DecodeStrict(toJSON(specs, vals), &in); err == nil {
			_, err = s.svc.Billing.PayBill(rq.ctx, rq.scope, id, in)
		}
	case "discard":
		if err = s.svc.Billing.DiscardDraft(rq.ctx, rq.scope, id); err == nil {
			return rq.redirect("/billing/bills")
		}
	case "write-off":
		_, err = s.svc.Billing.WriteOff(rq.ctx, rq.scope, id, billing.WriteOff{Reason: first(vals, "reason")})
	case "invoice-request":
		_, err = s.svc.Billing.RequestInvoice(rq.ctx, rq.scope, id)
	case "invoice":
		var in billing.InvoiceIssued
		if err = httpin.DecodeStrict(toJSON([]fieldSpec{{Name: "invoice_no"}, {Name: "invoice_date", Kind: "date"}}, vals), &in); err == nil {
			_, err = s.svc.Billing.RecordInvoice(rq.ctx, rq.scope, id, in)
		}
	default:
		return apperr.ErrNotFound("页面", "page")
	}
	return rq.outcome(err, func(err error) error { return s.showBill(rq, err) }, "/billing/bills/"+id)
}

// billNotice is a bill's 缴费通知单 as a print-ready page.
func (s *Server) billNotice(rq *request) error {
	b, err := s.svc.Billing.Bill(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := s.svc.Billing.InvoiceDetailsOf(rq.ctx, rq.scope, b.EnterpriseID)
	if err != nil {
		return err
	}
	var lines []lineView
	for _, l := range b.Lines {
		lines = append(lines, lineView{L: l, Charge: enumLabel(rq.lang, "charge_type", l.ChargeType)})
	}
	s.render(rq, "notice", rq.t("billing.notice")+" "+b.Number, struct {
		B       billing.Bill
		Lines   []lineView
		Details *billing.InvoiceDetails
	}{b, lines, d})
	return nil
}

func (s *Server) billNoticePDF(rq *request) error {
	b, err := s.svc.Billing.Bill(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := s.svc.Billing.InvoiceDetailsOf(rq.ctx, rq.scope, b.EnterpriseID)
	if err != nil {
		return err
	}
	data, err := billpdf.Notice(b, d)
	if err != nil {
		return err
	}
	return sendFile(rq, "application/pdf", b.Number+".pdf", data)
}

// enterpriseOptions are the enterprises of the caller's parks, for a payment's payer.
func (rq *request) enterpriseOptions(parkID string) ([]option, error) {
	list, err := rq.srv.svc.Enterprise.ListEnterprises(rq.ctx, rq.scope, enterprise.Filter{ParkID: parkID}, page.Request{Sort: "name", Limit: page.MaxLimit})
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: "—"}}
	for _, e := range list.Items {
		out = append(out, option{Value: e.ID, Label: e.Name})
	}
	return out, nil
}

func (s *Server) newPayment(rq *request) error {
	if !rq.bills() {
		return apperr.ErrForbidden()
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	park := rq.r.URL.Query().Get("park_id")
	if park == "" && len(parks) > 0 {
		park = parks[0].Value
	}
	ents, err := rq.enterpriseOptions(park)
	if err != nil {
		return err
	}
	methods := enumOptions(rq, "pay_method", []string{"bank", "cash", "wechat", "alipay", "other"}, "")
	specs := []fieldSpec{
		{Name: "park_id", Label: k("billing.park"), Kind: "select", Required: true, Options: parks},
		{Name: "enterprise_id", Label: k("billing.enterprise"), Kind: "select", Required: true, Options: ents},
		{Name: "paid_on", Label: k("billing.paid_on"), Kind: "date", Required: true},
		{Name: "amount", Label: k("billing.amount"), Kind: "number", Required: true},
		{Name: "method", Label: k("billing.method"), Kind: "select", Required: true, Options: methods},
		{Name: "reference", Label: k("billing.reference"), Kind: "text"},
		{Name: "as_credit", Label: k("billing.as_credit"), Kind: "checkbox", Help: k("billing.as_credit_help")},
	}
	initial := values{"park_id": {park}, "paid_on": {s.clock.Today().String()}, "method": {"bank"}, "enterprise_id": {rq.r.URL.Query().Get("enterprise_id")}}
	return formPost(s, rq, rq.t("billing.new_payment"), specs, initial, []crumb{{rq.t("billing.payments"), "/billing/payments"}},
		func(in billing.NewPayment) (string, error) {
			p, err := s.svc.Billing.RecordPayment(rq.ctx, rq.scope, in)
			return "/billing/payments/" + p.ID, err
		})
}

func (s *Server) showPayment(rq *request, failure error) error {
	p, err := s.svc.Billing.Payment(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	v := struct {
		P          billing.Payment
		Method     string
		CanReverse bool
		Error      string
	}{P: p, Method: enumLabel(rq.lang, "pay_method", p.Method),
		CanReverse: rq.bills() && rq.scope.HasPark(p.ParkID) && p.ReversedOn.IsZero() && p.Method != "credit_note" && p.Method != "deposit"}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "payment", rq.t("billing.payment"), v)
	return nil
}

func (s *Server) reversePayment(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	_, err = s.svc.Billing.ReversePayment(rq.ctx, rq.scope, rq.r.PathValue("id"), billing.Reversal{Reason: first(vals, "reason")})
	return rq.outcome(err, func(err error) error { return s.showPayment(rq, err) }, "/billing/payments/"+rq.r.PathValue("id"))
}

// bankUpload takes a statement file and keeps it for its preview.
func (s *Server) bankUpload(rq *request) error {
	if !rq.bills() {
		return apperr.ErrForbidden()
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	view := struct {
		Parks []option
		Error string
	}{Parks: parks}
	if rq.r.Method == http.MethodPost {
		name, data, err := receiveFile(rq)
		park := rq.r.FormValue("park_id")
		if err == nil {
			err = s.svc.Billing.CheckPark(rq.ctx, rq.scope, park)
		}
		if err == nil {
			var token string
			if token, err = s.svc.Uploads.Keep(rq.ctx, rq.scope, uploadstash.Upload{Target: park, Name: name, Data: data}); err == nil {
				return rq.redirect("/billing/bank/" + token + "?park_id=" + url.QueryEscape(park))
			}
		}
		if !apperr.Is(err, apperr.BadRequest) && !apperr.Is(err, apperr.TooLarge) {
			return err
		}
		view.Error = rq.problemText(err)
		rq.w.WriteHeader(httpx.StatusOf(err))
	}
	s.render(rq, "bank", rq.t("billing.bank"), view)
	return nil
}

// bankPreview shows a kept statement's matches (GET) and books it (POST).
func (s *Server) bankPreview(rq *request) error {
	park := rq.r.URL.Query().Get("park_id")
	up, err := s.stashed(rq, park)
	if err != nil {
		return err
	}
	commit := rq.r.Method == http.MethodPost
	res, err := s.svc.Billing.ImportStatement(rq.ctx, rq.scope, park, up.Data, !commit)
	msg, problems, err := rq.uploadOutcome(err, res.Problems)
	if err != nil {
		return err
	}
	if commit && res.Committed {
		if err := s.svc.Uploads.Drop(rq.ctx, rq.scope, rq.r.PathValue("token")); err != nil {
			return err
		}
	}
	s.render(rq, "bank-preview", rq.t("billing.bank"), struct {
		Name, Token, ParkID, Error string
		Result                     billing.BankImport
		Problems                   []problemRow
	}{up.Name, rq.r.PathValue("token"), park, msg, res, problems})
	return nil
}

// agingPage is the receivables by bucket of days past due on a day, or its table as a file.
func (s *Server) agingPage(rq *request, format string) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	aq := billing.AgingQuery{On: q.Date("on"), By: q.Str("by"), ParkID: q.Str("park_id")}
	if err := q.Err(); err != nil {
		return err
	}
	a, err := s.svc.Billing.AgingOn(rq.ctx, rq.scope, aq)
	if err != nil {
		return err
	}
	if format != "" {
		t := export.Table{Title: rq.t("billing.aging"), Columns: []export.Column{{Header: rq.t("billing.aging_by_" + a.By), Kind: export.Text}}}
		for _, h := range []string{"billing.not_due", "billing.days_0_30", "billing.days_31_60", "billing.days_61_90", "billing.days_over_90", "billing.overdue", "billing.total"} {
			t.Columns = append(t.Columns, export.Column{Header: rq.withUnit(rq.t(h), export.Yuan), Kind: export.Yuan})
		}
		for _, r := range append(a.Rows, a.Total) {
			name := r.Name
			if r.Key == "total" {
				name = rq.t("billing.total")
			}
			t.Rows = append(t.Rows, []any{name, r.NotDue, r.Days30, r.Days60, r.Days90, r.Over90, r.Overdue, r.Total})
		}
		t.Notes = append(t.Notes, rq.t("billing.aging_note", a.On.String()))
		return writeTable(rq, "aging", format, t)
	}
	collection, err := s.svc.Billing.Collection(rq.ctx, rq.scope, aq.ParkID, a.On)
	if err != nil {
		return err
	}
	parks, err := rq.parkOptions(k("filter.all"), false)
	if err != nil {
		return err
	}
	for i := range parks {
		parks[i].Selected = parks[i].Value == aq.ParkID
	}
	s.render(rq, "aging", rq.t("billing.aging"), struct {
		A          billing.Aging
		Collection []billing.CollectionMonth
		Parks      []option
		Query      string
	}{a, collection, parks, url.Values{"on": {a.On.String()}, "by": {a.By}, "park_id": {aq.ParkID}}.Encode()})
	return nil
}

func (s *Server) statementPage(rq *request) error {
	st, err := s.svc.Billing.StatementOf(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(rq, "statement", rq.t("billing.statement")+" "+st.EnterpriseName, st)
	return nil
}

func (s *Server) statementPDF(rq *request) error {
	st, err := s.svc.Billing.StatementOf(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	park := ""
	if p, err := s.svc.Space.GetPark(rq.ctx, rq.scope, st.ParkID); err == nil {
		park = p.NameZh
	}
	data, err := billpdf.StatementPDF(st, park)
	if err != nil {
		return err
	}
	return sendFile(rq, "application/pdf", "statement-"+strings.ReplaceAll(st.On.String(), "-", "")+".pdf", data)
}

// contractMoney is a contract's deposit and late-fee rule, with their forms for staff.
func (s *Server) contractMoney(rq *request, failure error) error {
	id := rq.r.PathValue("id")
	d, err := s.svc.Billing.Deposit(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	rule, err := s.svc.Billing.LateFeeOf(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	v := struct {
		D     billing.Deposit
		Rule  *billing.LateFee
		Staff bool
		Error string
	}{D: d, Rule: rule, Staff: rq.bills()}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "contract-money", rq.t("billing.deposit")+" "+d.ContractNumber, v)
	return nil
}

func (s *Server) contractMoneyAction(rq *request) error {
	id := rq.r.PathValue("id")
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	switch rq.r.PathValue("action") {
	case "late-fee":
		var r billing.LateFee
		specs := []fieldSpec{{Name: "rate_bp", Kind: "number"}, {Name: "grace_days", Kind: "number"}, {Name: "cap_bp", Kind: "number"}}
		if err = httpin.DecodeStrict(toJSON(specs, vals), &r); err == nil {
			_, err = s.svc.Billing.SetLateFee(rq.ctx, rq.scope, id, &r)
		}
	case "settle":
		in := billing.Settlement{ApplyToOpen: first(vals, "apply_to_open") == "true"}
		specs := []fieldSpec{{Name: "settled_on", Kind: "date"}, {Name: "reason"}, {Name: "amount", Kind: "number"}}
		var raw struct {
			SettledOn civil.Date    `json:"settled_on"`
			Reason    string        `json:"reason"`
			Amount    measure.Money `json:"amount"`
		}
		if err = httpin.DecodeStrict(toJSON(specs, vals), &raw); err == nil {
			in.SettledOn = raw.SettledOn
			if raw.Amount != 0 || raw.Reason != "" {
				in.Deductions = []billing.Deduction{{Reason: raw.Reason, Amount: raw.Amount}}
			}
			_, err = s.svc.Billing.SettleDeposit(rq.ctx, rq.scope, id, in)
		}
	default:
		return apperr.ErrNotFound("页面", "page")
	}
	return rq.outcome(err, func(err error) error { return s.contractMoney(rq, err) }, "/billing/contracts/"+id)
}

// settingsForm sets a park's billing settings: its reminder days, written "-3, 0, 7, 30", and
// the day its billing in ParkOS begins.
func (s *Server) settingsForm(rq *request) error {
	if !rq.bills() {
		return apperr.ErrForbidden()
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	park := rq.r.URL.Query().Get("park_id")
	if park == "" && len(parks) > 0 {
		park = parks[0].Value
	}
	specs := []fieldSpec{{Name: "park_id", Label: k("billing.park"), Kind: "select", Required: true, Options: parks},
		{Name: "reminder_days", Label: k("billing.dunning_offsets"), Kind: "text", Required: true, Help: k("billing.dunning_help")},
		{Name: "billing_from", Label: k("billing.billing_from"), Kind: "date", Help: k("billing.billing_from_help")}}
	title, crumbs := rq.t("billing.settings"), []crumb{{rq.t("billing.desk"), "/billing"}}
	if rq.r.Method == http.MethodGet {
		st, err := s.svc.Billing.SettingsOf(rq.ctx, rq.scope, park)
		if err != nil {
			return err
		}
		text := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(st.ReminderDays)), ", "), "[]")
		from := ""
		if !st.BillingFrom.IsZero() {
			from = st.BillingFrom.String()
		}
		return s.showCustomForm(rq, title, specs, values{"park_id": {park}, "reminder_days": {text}, "billing_from": {from}}, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	days, err := billing.ParseOffsets(first(vals, "reminder_days"))
	if err != nil {
		var f apperr.Fields
		f.Add("reminder_days", "bad_offset", "提醒日写法：相对应付日的天数，-60 到 365，用逗号分隔，如 -3, 0, 7, 30",
			"write days from the due date, -60 to 365, separated by commas, e.g. -3, 0, 7, 30")
		err = f.Err()
	}
	var from civil.Date
	if err == nil && first(vals, "billing_from") != "" {
		if from, err = civil.Parse(first(vals, "billing_from")); err != nil {
			var f apperr.Fields
			f.Add("billing_from", "bad_date", "日期格式应为 YYYY-MM-DD", "write the day as YYYY-MM-DD")
			err = f.Err()
		}
	}
	if err == nil {
		_, err = s.svc.Billing.SetSettings(rq.ctx, rq.scope, first(vals, "park_id"), billing.Settings{ReminderDays: days, BillingFrom: from})
	}
	if formError(err) {
		return s.showCustomForm(rq, title, specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/billing")
}

// myBilling is a tenant's money: its bills, payments, credit, deposits and invoicing details.
func (s *Server) myBilling(rq *request) error { return s.showMyBilling(rq, nil, nil) }

func (s *Server) showMyBilling(rq *request, failure error, sent values) error {
	if !rq.scope.Role.IsEnterprise() {
		return rq.redirect("/billing")
	}
	ent := rq.scope.EnterpriseID
	bills, err := s.svc.Billing.Bills(rq.ctx, rq.scope, billing.Filter{}, page.Request{Sort: "due_on", Desc: true, Limit: 100})
	if err != nil {
		return err
	}
	payments, err := s.svc.Billing.Payments(rq.ctx, rq.scope, billing.Filter{}, page.Request{Sort: "paid_on", Desc: true, Limit: 100})
	if err != nil {
		return err
	}
	deposits, err := s.svc.Billing.EnterpriseDeposits(rq.ctx, rq.scope, ent)
	if err != nil {
		return err
	}
	details, err := s.svc.Billing.InvoiceDetailsOf(rq.ctx, rq.scope, ent)
	if err != nil {
		return err
	}
	var owed, credit measure.Money
	for _, b := range bills.Items {
		owed += b.Outstanding
	}
	for _, p := range payments.Items {
		if p.ReversedOn.IsZero() {
			credit += p.Unallocated
		}
	}
	form := map[string]string{}
	if details != nil {
		form = map[string]string{"name": details.Name, "tax_id": details.TaxID, "address_phone": details.AddressPhone, "bank_account": details.BankAccount}
	}
	for k := range sent {
		form[k] = first(sent, k)
	}
	v := struct {
		Bills    []billing.Bill
		Payments []billing.Payment
		Deposits []billing.Deposit
		Owed     measure.Money
		Credit   measure.Money
		Form     map[string]string
		CanEdit  bool
		EntID    string
		Error    string
	}{bills.Items, payments.Items, deposits, owed, credit, form, rq.scope.CanEditOwnEnterprise(ent), ent, ""}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "my-billing", rq.t("billing.mine"), v)
	return nil
}

func (s *Server) saveInvoiceDetails(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	_, err = s.svc.Billing.SetInvoiceDetails(rq.ctx, rq.scope, rq.scope.EnterpriseID, billing.InvoiceDetails{Name: first(vals, "name"),
		TaxID: first(vals, "tax_id"), AddressPhone: first(vals, "address_phone"), BankAccount: first(vals, "bank_account")})
	if formError(err) {
		return s.showMyBilling(rq, err, vals)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/billing/mine")
}
