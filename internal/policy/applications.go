package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
)

// NewApplication is an enterprise's application for a policy.
type NewApplication struct {
	PolicyID     string        `json:"policy_id"`
	EnterpriseID string        `json:"enterprise_id,omitempty" doc:"企业用户留空为本企业 / empty: the caller's own enterprise"`
	Statement    string        `json:"statement,omitempty" doc:"申报说明 / what the enterprise says in support"`
	Requested    measure.Money `json:"requested,omitzero" doc:"申请金额（0 为按测算） / the sum asked (0: the estimate)"`
	// Submit sends it at once; otherwise it stays a draft.
	Submit bool `json:"submit,omitempty"`
}

// AppAction moves an application on.
type AppAction struct {
	Action string        `json:"action" doc:"submit | withdraw（企业） / review | approve | reject | confirm（审核方）"`
	Amount measure.Money `json:"amount,omitzero" doc:"核定金额（approve；默认为测算金额） / the sum approved (default: the estimate)"`
	Reason string        `json:"reason,omitempty" doc:"理由：驳回必填；核定金额与测算不同时必填 / why: required to reject, and to approve a sum other than the estimate"`
}

// NewDisbursement pays an approved grant, in full or an instalment.
type NewDisbursement struct {
	PaidOn    civil.Date    `json:"paid_on"`
	Amount    measure.Money `json:"amount"`
	Reference string        `json:"reference,omitempty"`
}

// NewNote is a reviewer's note.
type NewNote struct {
	Body string `json:"body"`
}

// mayReview: those who may write a policy review its applications — the authority (and the
// administrator) any policy's, a park manager its own park's policies'.
func mayReview(sc identity.Scope, p Policy) bool {
	return mayAuthor(sc, p.OwnerParkID) && (p.OwnerParkID != "" || sc.AllParks())
}

func isApplicant(sc identity.Scope, a Application) bool {
	return sc.Role.IsEnterprise() && sc.EnterpriseID == a.EnterpriseID
}

// Apply drafts (or submits) an application for a policy in force that covers the enterprise.
func (s *Service) Apply(ctx context.Context, sc identity.Scope, in NewApplication) (Application, error) {
	if !sc.Role.IsEnterprise() {
		return Application{}, apperr.ErrForbidden()
	}
	in.EnterpriseID = cmp.Or(in.EnterpriseID, sc.EnterpriseID)
	var f apperr.Fields
	if in.PolicyID == "" {
		f.Required("policy_id")
	}
	check.Field(&f, "statement", in.Statement, false, 5000)
	if in.Requested < 0 {
		f.Add("requested", "out_of_range", "申请金额不能为负", "the sum asked must not be negative")
	}
	if err := f.Err(); err != nil {
		return Application{}, err
	}
	p, err := s.st.GetPolicy(ctx, sc, in.PolicyID)
	if apperr.Is(err, apperr.NotFound) {
		return Application{}, apperr.FieldProblem("policy_id", "not_found", "政策不存在", "no such policy")
	}
	if err != nil {
		return Application{}, err
	}
	e, err := s.st.GetEnterprise(ctx, sc, in.EnterpriseID)
	if apperr.Is(err, apperr.NotFound) {
		return Application{}, apperr.FieldProblem("enterprise_id", "not_found", "企业不存在", "no such enterprise")
	}
	if err != nil {
		return Application{}, err
	}
	day := s.clock.Today()
	if !p.InForce(day) {
		return Application{}, apperr.FieldProblem("policy_id", "not_in_force", "政策不在有效期内", "the policy is not in force")
	}
	if p.AutoGrant {
		return Application{}, apperr.FieldProblem("policy_id", "auto_grant", "该政策免申即享，符合条件的企业无需申报", "this policy is granted without applying to every eligible enterprise")
	}
	year := p.YearOn(day)
	facts, err := s.st.PolicyFacts(ctx, identity.System(), p.Scope, e.ID, p.YearsRead(day))
	if err != nil {
		return Application{}, err
	}
	if len(facts) == 0 {
		return Application{}, apperr.FieldProblem("policy_id", "not_covered", "该政策不适用于本企业所在园区", "the policy does not cover the enterprise's park")
	}
	now := s.clock.Now()
	a := Application{ID: s.st.NewID(), PolicyID: p.ID, PolicyTitle: p.Title, EnterpriseID: e.ID, Enterprise: e.Name, ParkID: e.ParkID,
		Status: AppDraft, Statement: strings.TrimSpace(in.Statement), Requested: in.Requested,
		Estimate: p.Amount.Estimate(facts[0], year).Amount, CreatedBy: sc.Username, CreatedAt: now, UpdatedAt: now}
	if most := p.Amount.Most(); most > 0 && a.Requested > most {
		return Application{}, apperr.FieldProblem("requested", "above_cap", fmt.Sprintf("申请金额超过政策上限 %s 元", most), fmt.Sprintf("the sum asked is above the policy's most, %s yuan", most))
	}
	if in.Submit {
		a.Status, a.SubmittedAt = Submitted, now
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertApplication(ctx, a); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "policy_application", a.ID, nil, a)
	})
	return a, err
}

// Act moves an application on: the applicant submits or withdraws it; a reviewer takes it
// into review, approves it (with the sum, which may differ from the estimate with a reason),
// rejects it (with a reason) or confirms a 免申即享 grant.
func (s *Service) Act(ctx context.Context, sc identity.Scope, id string, in AppAction) (Application, error) {
	var out Application
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		old, err := s.st.LockApplication(ctx, sc, id)
		if err != nil {
			return err
		}
		p, err := s.st.GetPolicy(ctx, identity.System(), old.PolicyID)
		if err != nil {
			return err
		}
		a := old
		if err := s.apply(sc, p, &a, in); err != nil {
			return err
		}
		a.UpdatedAt = s.clock.Now()
		if err := s.st.SaveApplication(ctx, a); err != nil {
			return err
		}
		if err := s.st.Record(ctx, sc, in.Action, "policy_application", id, old, a); err != nil {
			return err
		}
		out = a
		return s.tellDecision(ctx, p, a)
	})
	return out, err
}

// apply checks who may take an action and what it needs, and takes it.
func (s *Service) apply(sc identity.Scope, p Policy, a *Application, in AppAction) error {
	reviewer := mayReview(sc, p)
	allowed := map[string]bool{"submit": isApplicant(sc, *a), "withdraw": isApplicant(sc, *a),
		"review": reviewer, "approve": reviewer, "reject": reviewer, "confirm": reviewer}
	ok, known := allowed[in.Action]
	if !known {
		return apperr.FieldProblem("action", "unknown_value", "操作应为 submit、withdraw、review、approve、reject 或 confirm", "action is submit, withdraw, review, approve, reject or confirm")
	}
	if !ok {
		return apperr.ErrForbidden()
	}
	from := map[string][]AppStatus{"submit": {AppDraft}, "withdraw": {AppDraft, Submitted}, "review": {Submitted},
		"approve": {Submitted, UnderReview, Proposed}, "reject": {Submitted, UnderReview, Proposed}, "confirm": {Proposed}}
	if !slices.Contains(from[in.Action], a.Status) {
		return apperr.New(apperr.Conflict, fmt.Sprintf("申报当前状态为 %s，不能执行 %s", a.Status, in.Action),
			fmt.Sprintf("the application is %s; it cannot be %s", a.Status, in.Action))
	}
	now := s.clock.Now()
	reason := strings.TrimSpace(in.Reason)
	var f apperr.Fields
	check.Field(&f, "reason", in.Reason, false, 2000)
	if err := f.Err(); err != nil {
		return err
	}
	switch in.Action {
	case "submit":
		a.Status, a.SubmittedAt = Submitted, now
	case "withdraw":
		a.Status = AppWithdrawn
	case "review":
		a.Status = UnderReview
	case "reject":
		if reason == "" {
			return apperr.FieldProblem("reason", "required", "驳回须说明理由", "a rejection needs a reason")
		}
		a.Status, a.Reason, a.Approved = Rejected, reason, 0
	case "approve", "confirm":
		amount := cmp.Or(in.Amount, a.Approved, a.Estimate)
		if in.Action == "confirm" {
			amount = a.Approved
		}
		switch {
		case in.Amount < 0:
			return apperr.FieldProblem("amount", "out_of_range", "核定金额应大于 0", "the sum approved must be above 0")
		case amount <= 0:
			return apperr.FieldProblem("amount", "required", "请填写核定金额", "give the sum approved")
		}
		if most := p.Amount.Most(); most > 0 && amount > most {
			return apperr.FieldProblem("amount", "above_cap", fmt.Sprintf("核定金额超过政策上限 %s 元", most), fmt.Sprintf("the sum is above the policy's most, %s yuan", most))
		}
		if amount != a.Estimate && reason == "" {
			return apperr.FieldProblem("reason", "required", "核定金额与测算金额不同，须说明理由", "a sum other than the estimate needs a reason")
		}
		a.Status, a.Approved, a.Reason = Approved, amount, reason
	}
	if in.Action != "submit" && in.Action != "withdraw" {
		a.DecidedBy, a.DecidedAt = sc.Username, now
	}
	return nil
}

// tellDecision tells the enterprise that its application was approved or rejected.
func (s *Service) tellDecision(ctx context.Context, p Policy, a Application) error {
	if s.notify == nil || a.Status != Approved && a.Status != Rejected {
		return nil
	}
	zh, en := fmt.Sprintf("核定 %s 元", a.Approved), fmt.Sprintf("%s yuan approved", a.Approved)
	if a.Status == Rejected {
		zh, en = "未通过："+a.Reason, "rejected: "+a.Reason
	}
	return s.notify.TellEnterprise(ctx, a.EnterpriseID, notify.Message{Kind: "policy_decision", Link: "/policy-applications/" + a.ID,
		TitleZh: "政策申报结果：" + p.Title, TitleEn: "Decision on your application: " + cmp.Or(p.TitleEn, p.Title), BodyZh: zh, BodyEn: en})
}

// ConfirmAll confirms every proposed 免申即享 grant of a policy in the caller's scope at once,
// and says how many.
func (s *Service) ConfirmAll(ctx context.Context, sc identity.Scope, policyID string) (int, error) {
	p, err := s.st.GetPolicy(ctx, sc, policyID)
	if err != nil {
		return 0, err
	}
	if !mayReview(sc, p) {
		return 0, apperr.ErrForbidden()
	}
	n := 0
	req := page.Request{Limit: 200}
	for {
		batch, err := s.st.ListApplications(ctx, sc, AppFilter{PolicyID: policyID, Status: Proposed}, req)
		if err != nil {
			return n, err
		}
		for _, a := range batch.Items {
			_, err := s.Act(ctx, sc, a.ID, AppAction{Action: "confirm"})
			switch {
			case err == nil:
				n++
			// Decided meanwhile, or without a sum to confirm: left for a reviewer's own decision.
			case apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.Invalid):
			default:
				return n, err
			}
		}
		if batch.NextCursor == "" {
			return n, nil
		}
		req.Cursor = batch.NextCursor
	}
}

// Disburse records a payment of an approved grant; when the payments reach the sum approved
// the application is disbursed.
func (s *Service) Disburse(ctx context.Context, sc identity.Scope, id string, in NewDisbursement) (Application, error) {
	var f apperr.Fields
	if in.PaidOn.IsZero() {
		f.Required("paid_on")
	}
	if in.Amount <= 0 {
		f.Add("amount", "out_of_range", "拨付金额应大于 0", "the amount must be above 0")
	}
	check.Field(&f, "reference", in.Reference, false, 200)
	if err := f.Err(); err != nil {
		return Application{}, err
	}
	if in.PaidOn.After(s.clock.Today()) {
		return Application{}, apperr.FieldProblem("paid_on", "in_future", "拨付日期不能晚于今天", "paid_on is after today")
	}
	var out Application
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		old, _, err := s.lockWithPolicy(ctx, sc, id, reviewer(sc))
		if err != nil {
			return err
		}
		if old.Status != Approved {
			return apperr.New(apperr.Conflict, "只有已核定未拨完的申报可以拨付", "only an approved application not yet paid in full can be paid")
		}
		if decided := civil.FromTime(old.DecidedAt); !old.DecidedAt.IsZero() && in.PaidOn.Before(decided) {
			return apperr.FieldProblem("paid_on", "before_approval", "拨付日期不能早于核定日期 "+decided.String(), "paid_on is before the approval on "+decided.String())
		}
		if left := old.Approved - old.Disbursed; in.Amount > left {
			return apperr.FieldProblem("amount", "above_approved", fmt.Sprintf("超过未拨付的 %s 元", left), fmt.Sprintf("more than the %s yuan left to pay", left))
		}
		d := Disbursement{ID: s.st.NewID(), ApplicationID: id, PaidOn: in.PaidOn, Amount: in.Amount, Reference: strings.TrimSpace(in.Reference),
			CreatedBy: sc.Username, CreatedAt: s.clock.Now()}
		if err := s.st.InsertDisbursement(ctx, d); err != nil {
			return err
		}
		a := old
		a.Disbursed += in.Amount
		if a.Disbursed == a.Approved {
			a.Status = Disbursed
		}
		a.UpdatedAt = d.CreatedAt
		if err := s.st.SaveApplication(ctx, a); err != nil {
			return err
		}
		out = a
		return s.st.Record(ctx, sc, "disburse", "policy_application", id, old, a)
	})
	return out, err
}

// lockWithPolicy locks an application in the caller's scope and reads its policy, refusing
// (with the application read) a caller whom may does not allow, in the transaction of ctx.
func (s *Service) lockWithPolicy(ctx context.Context, sc identity.Scope, id string, may func(Application, Policy) bool) (Application, Policy, error) {
	a, err := s.st.LockApplication(ctx, sc, id)
	if err != nil {
		return a, Policy{}, err
	}
	p, err := s.st.GetPolicy(ctx, identity.System(), a.PolicyID)
	if err != nil {
		return a, p, err
	}
	if !may(a, p) {
		return a, p, apperr.ErrForbidden()
	}
	return a, p, nil
}

// reviewer allows those who review the policy's applications.
func reviewer(sc identity.Scope) func(Application, Policy) bool {
	return func(_ Application, p Policy) bool { return mayReview(sc, p) }
}

// AddNote adds a reviewer's note.
func (s *Service) AddNote(ctx context.Context, sc identity.Scope, id string, in NewNote) (Note, error) {
	var f apperr.Fields
	check.Field(&f, "body", in.Body, true, 5000)
	if err := f.Err(); err != nil {
		return Note{}, err
	}
	n := Note{ID: s.st.NewID(), Author: sc.Username, Body: strings.TrimSpace(in.Body), CreatedAt: s.clock.Now()}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		a, _, err := s.lockWithPolicy(ctx, sc, id, reviewer(sc))
		if err != nil {
			return err
		}
		if err := s.st.InsertNote(ctx, id, n); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "note", "policy_application", id, nil, Annex{ApplicationID: id, EnterpriseID: a.EnterpriseID, ParkID: a.ParkID, Note: &n})
	})
	return n, err
}

// maxDocuments bounds an application's attachments.
const maxDocuments = 20

// Attach adds a document to an application: its applicant while it is a draft or submitted,
// or a reviewer.
func (s *Service) Attach(ctx context.Context, sc identity.Scope, id, filename string, data []byte) (Document, error) {
	var d Document
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		a, _, err := s.lockWithPolicy(ctx, sc, id, func(a Application, p Policy) bool { return isApplicant(sc, a) || mayReview(sc, p) })
		if err != nil {
			return err
		}
		docs, err := s.st.Documents(ctx, id)
		if err != nil {
			return err
		}
		if len(docs) >= maxDocuments {
			return apperr.FieldProblem("file", "too_many", fmt.Sprintf("每份申报至多 %d 个附件", maxDocuments), fmt.Sprintf("an application takes at most %d documents", maxDocuments))
		}
		name, contentType, err := servicedesk.CheckFile(filename, data)
		if err != nil {
			return err
		}
		d = Document{ID: s.st.NewID(), Filename: name, ContentType: contentType, Size: len(data), UploadedBy: sc.Username, CreatedAt: s.clock.Now()}
		if err := s.st.InsertDocument(ctx, id, d, data); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "attach", "policy_application", id, nil, Annex{ApplicationID: id, EnterpriseID: a.EnterpriseID, ParkID: a.ParkID, Document: &d})
	})
	return d, err
}

// DocumentData is a document's bytes, for whoever sees its application.
func (s *Service) DocumentData(ctx context.Context, sc identity.Scope, id string) (Document, []byte, error) {
	d, _, data, err := s.st.DocumentData(ctx, sc, id)
	return d, data, err
}

// Application is one application with its payments, documents, notes (reviewers only), the
// eligibility explanation as of today and the caller's next actions.
func (s *Service) Application(ctx context.Context, sc identity.Scope, id string) (ApplicationDetail, error) {
	a, err := s.st.GetApplication(ctx, sc, id)
	if err != nil {
		return ApplicationDetail{}, err
	}
	p, err := s.st.GetPolicy(ctx, identity.System(), a.PolicyID)
	if err != nil {
		return ApplicationDetail{}, err
	}
	out := ApplicationDetail{Application: a, Notes: []Note{}, Actions: []string{}}
	if out.Disbursements, err = s.st.Disbursements(ctx, id); err != nil {
		return out, err
	}
	if out.Documents, err = s.st.Documents(ctx, id); err != nil {
		return out, err
	}
	reviewer := mayReview(sc, p)
	if reviewer {
		if out.Notes, err = s.st.Notes(ctx, id); err != nil {
			return out, err
		}
	}
	for _, act := range []string{"submit", "withdraw", "review", "approve", "reject", "confirm"} {
		trial := a
		if s.apply(sc, p, &trial, AppAction{Action: act, Amount: 1, Reason: "-"}) == nil || reviewer && act == "approve" && slices.Contains([]AppStatus{Submitted, UnderReview}, a.Status) {
			out.Actions = append(out.Actions, act)
		}
	}
	if reviewer && a.Status == Approved {
		out.Actions = append(out.Actions, "disburse")
	}
	day := s.clock.Today()
	facts, err := s.st.PolicyFacts(ctx, identity.System(), p.Scope, a.EnterpriseID, p.YearsRead(day))
	if err != nil || len(facts) == 0 {
		return out, err
	}
	r, err := compile(p.Eligibility, "eligibility")
	if err != nil {
		return out, err
	}
	names, err := s.names(ctx, p.Eligibility)
	if err != nil {
		return out, err
	}
	out.Match = s.explain(p, r, facts[0], day, names)
	return out, nil
}

// Applications lists applications in the caller's scope.
func (s *Service) Applications(ctx context.Context, sc identity.Scope, f AppFilter, req page.Request) (page.Page[Application], error) {
	if f.Status != "" && !slices.Contains(AppStatuses, f.Status) {
		return page.Page[Application]{}, apperr.FieldProblem("status", "unknown_value", "取值不在允许范围内", "value is not one of those allowed")
	}
	if sc.Role.IsEnterprise() {
		f.EnterpriseID = sc.EnterpriseID
	}
	return s.st.ListApplications(ctx, sc, f, req)
}

// TotalsBy are the keys totals are grouped by.
var TotalsBy = []string{"policy", "park", "year", "enterprise"}

// Totals tally applications in the caller's scope by policy, park, year or enterprise: how
// many enterprises were eligible (by policy and park), applied, were approved, rejected and
// paid, and the sums approved and paid.
func (s *Service) Totals(ctx context.Context, sc identity.Scope, by string, f AppFilter) (Totals, error) {
	by = cmp.Or(by, "policy")
	if !slices.Contains(TotalsBy, by) {
		return Totals{}, apperr.FieldProblem("by", "unknown_value", "取值应为 policy、park、year 或 enterprise", "by is policy, park, year or enterprise")
	}
	if sc.Role.IsEnterprise() {
		f.EnterpriseID = sc.EnterpriseID
	}
	rows, err := s.st.PolicyTallies(ctx, sc, by, f)
	if err != nil {
		return Totals{}, err
	}
	all, err := s.st.PolicyTallies(ctx, sc, "all", f)
	if err != nil {
		return Totals{}, err
	}
	out := Totals{By: by, Rows: rows, Total: Total{Key: "total", Name: "合计 / Total"}}
	if len(all) == 1 {
		out.Total = all[0]
	}
	return out, nil
}
