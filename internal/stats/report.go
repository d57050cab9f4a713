package stats

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
)

// Status is where a report is in its review.
type Status string

const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Approved  Status = "approved"
	Returned  Status = "returned"
)

// Statuses lists report statuses in workflow order.
var Statuses = []Status{Draft, Submitted, Returned, Approved}

// Report is one enterprise's figures for one period.
type Report struct {
	ID           string    `json:"id"`
	PeriodID     string    `json:"period_id"`
	EnterpriseID string    `json:"enterprise_id"`
	ParkID       string    `json:"park_id"`
	Status       Status    `json:"status"`
	Figures      Figures   `json:"figures"`
	Confirmed    []string  `json:"confirmed_warnings"` // warning codes the filer confirmed at submission
	ReturnReason string    `json:"return_reason,omitempty"`
	Submissions  int       `json:"submissions"`
	SubmittedAt  time.Time `json:"submitted_at,omitzero"`
	ReviewedAt   time.Time `json:"reviewed_at,omitzero"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Editable says the filer may still change the figures.
func (r Report) Editable() bool { return r.Status == Draft || r.Status == Returned }

// Warning is a plausibility check that does not block but must be confirmed.
type Warning struct {
	Code      string `json:"code"`
	Field     string `json:"field"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

// Check returns the hard errors (which block saving a submission) and the soft warnings of a set
// of figures; previous is the same enterprise's report for the period before, if any.
func Check(f Figures, previous Figures) (apperr.Fields, []Warning) {
	var errs apperr.Fields
	for _, m := range Measures {
		v, ok := f[m.Key]
		if !ok {
			continue
		}
		if v < 0 {
			errs.Add(m.Key, "negative", m.Zh+"不能为负数", m.En+" cannot be negative")
		}
	}
	for key := range f {
		if _, ok := MeasureOf(key); !ok {
			errs.Add(key, "unknown", "不是报表指标", "not a reported measure")
		}
	}
	var warns []Warning
	rev, hasRev := f["revenue"]
	if rd, ok := f["rd_expense"]; ok && hasRev && rd > rev {
		warns = append(warns, Warning{"rd_above_revenue", "rd_expense", "研发费用高于营业收入，请确认",
			"R&D expenditure is above revenue; please confirm"})
	}
	if prev, ok := previous["revenue"]; ok && hasRev && prev > 0 {
		if rev >= 10*prev {
			warns = append(warns, Warning{"revenue_jump", "revenue",
				fmt.Sprintf("营业收入是上期的 %d 倍以上，请确认", rev/prev), fmt.Sprintf("revenue is %d× the previous period; please confirm", rev/prev)})
		} else if 10*rev <= prev {
			warns = append(warns, Warning{"revenue_drop", "revenue", "营业收入不足上期的十分之一，请确认",
				"revenue is under a tenth of the previous period; please confirm"})
		}
	}
	if staff, ok := f["rd_staff"]; ok {
		if emp, ok := f["employees"]; ok && staff > emp {
			warns = append(warns, Warning{"rd_staff_above_employees", "rd_staff", "研发人员多于从业人员期末人数，请确认",
				"R&D staff outnumber employees; please confirm"})
		}
	}
	return errs, warns
}

// Submit moves a draft or returned report to submitted. Required figures must be present, hard
// errors block, and every warning must be among confirmed.
func (r *Report) Submit(previous Figures, confirmed []string, now time.Time) error {
	if !r.Editable() {
		return apperr.New(apperr.Conflict, "报表已提交或已审核，不能再次提交", "the report is already submitted or approved")
	}
	errs, warns := Check(r.Figures, previous)
	for _, m := range Measures {
		if _, ok := r.Figures[m.Key]; m.Required && !ok {
			errs.Required(m.Key)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	var unconfirmed apperr.Fields
	for _, w := range warns {
		if !slices.Contains(confirmed, w.Code) {
			unconfirmed.Add(w.Field, "needs_confirmation", w.MessageZh, w.MessageEn)
		}
	}
	if len(unconfirmed) > 0 {
		return &apperr.Error{Code: apperr.Invalid, MessageZh: "有需要确认的提示：请确认后再提交",
			MessageEn: "some figures need your confirmation before submitting", Fields: unconfirmed}
	}
	r.Confirmed = []string{}
	for _, w := range warns {
		r.Confirmed = append(r.Confirmed, w.Code)
	}
	r.Status, r.ReturnReason, r.SubmittedAt = Submitted, "", now
	r.Submissions++
	return nil
}

// Approve locks a submitted report.
func (r *Report) Approve(now time.Time) error {
	if r.Status != Submitted {
		return apperr.New(apperr.Conflict, "只能审核已提交的报表", "only a submitted report can be approved")
	}
	r.Status, r.ReviewedAt = Approved, now
	return nil
}

// Return sends a submitted report back to its filer with a reason.
func (r *Report) Return(reason string, now time.Time) error {
	if r.Status != Submitted {
		return apperr.New(apperr.Conflict, "只能退回已提交的报表", "only a submitted report can be returned")
	}
	if reason == "" {
		var f apperr.Fields
		f.Add("reason", "required", "请填写退回原因", "a reason for returning is required")
		return f.Err()
	}
	r.Status, r.ReturnReason, r.ReviewedAt = Returned, reason, now
	return nil
}

// ReportFilter narrows a list of reports.
type ReportFilter struct {
	PeriodID     string
	ParkID       string
	EnterpriseID string
	Status       Status
}

// Progress counts a period's reports in one park by status; Late are those not yet submitted
// once the deadline has passed.
type Progress struct {
	ParkID    string `json:"park_id"`
	Total     int    `json:"total"`
	Draft     int    `json:"draft"`
	Submitted int    `json:"submitted"`
	Returned  int    `json:"returned"`
	Approved  int    `json:"approved"`
	Late      int    `json:"late"`
}

// ImportRow is one enterprise's figures from an uploaded workbook.
type ImportRow struct {
	Row        int     `json:"row"`
	CreditCode string  `json:"credit_code"`
	Figures    Figures `json:"figures"`
	Submit     bool    `json:"submit"`
}

// RowOutcome says what an import does, or would do, to one report.
type RowOutcome struct {
	Row        int    `json:"row"`
	CreditCode string `json:"credit_code"`
	ReportID   string `json:"report_id"`
	Outcome    string `json:"outcome"` // changed | submitted | unchanged
}

// RowProblem is a row an import cannot apply, with the reason.
type RowProblem struct {
	Row        int    `json:"row"`
	CreditCode string `json:"credit_code"`
	Code       string `json:"code"`
	MessageZh  string `json:"message_zh"`
	MessageEn  string `json:"message_en"`
}

// AllWarnings are the codes of every soft warning: figures a park imports are taken as
// confirmed by the park, which collected them.
var AllWarnings = []string{"revenue_jump", "revenue_drop", "rd_above_revenue", "rd_staff_above_employees"}

// Filer is an enterprise that files in a period, with its report there.
type Filer struct {
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
	Report     Report `json:"report"`
}

// CheckOpen refuses filing into a closed period.
func (p Period) CheckOpen() error {
	if p.Closed {
		var f apperr.Fields
		f.Add("period_id", "closed", "报告期已关闭", "the reporting period is closed")
		return f.Err()
	}
	return nil
}

// SaveDraft replaces the figures of a report its filer may still edit. Hard errors (a negative
// figure, an unknown measure) are refused even in a draft.
func (r *Report) SaveDraft(figures Figures) error {
	if !r.Editable() {
		return apperr.New(apperr.Conflict, "报表已提交或已审核，不能修改", "the report is submitted or approved and cannot be changed")
	}
	if errs, _ := Check(figures, nil); len(errs) > 0 {
		return errs.Err()
	}
	r.Figures = figures
	return nil
}

// Close ends collection: no report in the period can be saved, submitted or imported
// afterwards; reviews of submitted reports may still finish.
func (p *Period) Close() error {
	if p.Closed {
		return apperr.New(apperr.Conflict, "报告期已关闭", "the reporting period is already closed")
	}
	p.Closed = true
	return nil
}

// Import is what one row of a filing workbook does to the report old: nothing when the figures
// are the same and nothing is to be submitted; else the figures replace the draft's, and with
// Submit the report is submitted, its warnings taken as confirmed by the park. It returns the
// report, the outcome (unchanged, changed, submitted) and the audit action; a refusal is a
// problem on the row, an error that is not ours stops the import.
func (old Report) Import(in ImportRow, previous Figures, now time.Time) (Report, RowOutcome, string, *RowProblem, error) {
	out := RowOutcome{Row: in.Row, CreditCode: in.CreditCode, ReportID: old.ID, Outcome: "unchanged"}
	refuse := func(code, zh, en string) *RowProblem {
		return &RowProblem{Row: in.Row, CreditCode: in.CreditCode, Code: code, MessageZh: zh, MessageEn: en}
	}
	same := maps.Equal(old.Figures, in.Figures)
	switch {
	case same && (!in.Submit || !old.Editable()):
		return old, out, "", nil, nil
	case !old.Editable():
		return old, out, "", refuse("locked", "报表已提交或已审核，不能通过导入修改",
			"the report is submitted or approved and cannot be changed by an import"), nil
	}
	r := old
	r.Figures = in.Figures
	if !in.Submit {
		out.Outcome = "changed"
		return r, out, "import", nil, nil
	}
	if err := r.Submit(previous, AllWarnings, now); err != nil {
		e, ok := apperr.As(err)
		if !ok {
			return old, out, "", nil, err
		}
		return old, out, "", refuse("refused", e.MessageZh+fieldList(e), e.MessageEn+fieldList(e)), nil
	}
	out.Outcome = "submitted"
	return r, out, "submit", nil, nil
}

// fieldList names an error's fields in brackets, for a row's message.
func fieldList(e *apperr.Error) string {
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}
