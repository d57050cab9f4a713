package stats

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

func fieldCodes(err error) map[string]string {
	out := map[string]string{}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		for _, f := range ae.Fields {
			out[f.Field] = f.Code
		}
	}
	return out
}

func complete() Figures {
	return Figures{"revenue": 100_000_00, "rd_expense": 10_000_00, "tax": 5_000_00, "employees": 40, "rd_staff": 12,
		"invention_patents_granted": 1, "invention_patents_held": 6}
}

func TestPeriodSpanLabelAndPrevious(t *testing.T) {
	q := Period{Kind: Quarterly, Year: 2024, Seq: 1, Deadline: civil.Of(2024, 4, 20)}
	q.Span()
	if q.StartOn != civil.Of(2024, 1, 1) || q.EndOn != civil.Of(2024, 3, 31) || q.Label() != "2024年第1季度" {
		t.Fatalf("Q1 2024: %v–%v %s", q.StartOn, q.EndOn, q.Label())
	}
	if y, s := q.Previous(); y != 2023 || s != 4 {
		t.Fatalf("before Q1 2024: %d Q%d", y, s)
	}
	m := Period{Kind: Monthly, Year: 2024, Seq: 2}
	m.Span()
	if m.EndOn != civil.Of(2024, 2, 29) {
		t.Fatalf("February 2024 ends %v", m.EndOn)
	}
	if y, s := (Period{Kind: Monthly, Year: 2024, Seq: 1}).Previous(); y != 2023 || s != 12 {
		t.Fatalf("before January: %d-%d", y, s)
	}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := Period{Kind: Quarterly, Year: 2024, Seq: 5}
	if got := fieldCodes(bad.Validate()); got["seq"] != "out_of_range" || got["deadline"] != "required" {
		t.Fatalf("bad period: %v", got)
	}
	early := Period{Kind: Quarterly, Year: 2024, Seq: 2, Deadline: civil.Of(2024, 6, 1)}
	if got := fieldCodes(early.Validate()); got["deadline"] != "before_end" {
		t.Fatalf("deadline before the end: %v", got)
	}
}

func TestHardErrorsBlockAndWarningsNeedConfirmation(t *testing.T) {
	now := time.Date(2024, 4, 10, 9, 0, 0, 0, time.UTC)
	r := Report{Status: Draft, Figures: complete()}
	r.Figures["tax"] = -1
	delete(r.Figures, "employees")
	r.Figures["mood"] = 3
	got := fieldCodes(r.Submit(nil, nil, now))
	if got["tax"] != "negative" || got["employees"] != "required" || got["mood"] != "unknown" || r.Status != Draft {
		t.Fatalf("hard errors: %v, status %s", got, r.Status)
	}

	r.Figures = complete()
	r.Figures["rd_expense"] = r.Figures["revenue"] + 1
	previous := Figures{"revenue": 5_000_00}
	got = fieldCodes(r.Submit(previous, []string{"rd_above_revenue"}, now))
	if len(got) != 1 || got["revenue"] != "needs_confirmation" || r.Status != Draft {
		t.Fatalf("unconfirmed revenue jump: %v", got)
	}
	if err := r.Submit(previous, []string{"rd_above_revenue", "revenue_jump"}, now); err != nil {
		t.Fatal(err)
	}
	if r.Status != Submitted || r.Submissions != 1 || !slices.Equal(r.Confirmed, []string{"rd_above_revenue", "revenue_jump"}) {
		t.Fatalf("after submission: %+v", r)
	}
}

func TestRevenueWarningsAgainstThePreviousPeriod(t *testing.T) {
	for _, c := range []struct {
		rev, prev int64
		want      string
	}{{1000, 100, "revenue_jump"}, {999, 100, ""}, {10, 100, "revenue_drop"}, {11, 100, ""}, {1000, 0, ""}} {
		_, warns := Check(Figures{"revenue": c.rev}, Figures{"revenue": c.prev})
		got := ""
		if len(warns) > 0 {
			got = warns[0].Code
		}
		if got != c.want {
			t.Errorf("revenue %d after %d: warning %q, want %q", c.rev, c.prev, got, c.want)
		}
	}
}

func TestWorkflow(t *testing.T) {
	now := time.Now()
	r := Report{Status: Draft, Figures: complete()}
	if err := r.Approve(now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("approving a draft: %v", err)
	}
	if err := r.Submit(nil, nil, now); err != nil {
		t.Fatal(err)
	}
	if err := r.Submit(nil, nil, now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("submitting twice: %v", err)
	}
	if got := fieldCodes(r.Return("", now)); got["reason"] != "required" {
		t.Fatalf("returning without a reason: %v", got)
	}
	if err := r.Return("研发费用口径有误", now); err != nil || r.Status != Returned || !r.Editable() {
		t.Fatalf("return: %v %+v", err, r)
	}
	if err := r.Submit(nil, nil, now); err != nil || r.Submissions != 2 || r.ReturnReason != "" {
		t.Fatalf("resubmission: %v %+v", err, r)
	}
	if err := r.Approve(now); err != nil || r.Editable() {
		t.Fatalf("approve: %v", err)
	}
	if err := r.Return("late change", now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("returning an approved report: %v", err)
	}
}

func TestFiguresJSON(t *testing.T) {
	var f Figures
	if err := json.Unmarshal([]byte(`{"revenue": 1234.56, "employees": 40, "exports": null}`), &f); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"revenue": "1234.56", "employees": 40}`), &f); err != nil {
		t.Fatal(err)
	}
	if f["revenue"] != 123456 || f["employees"] != 40 || len(f) != 2 {
		t.Fatalf("read %v", f)
	}
	b, _ := json.Marshal(f)
	if string(b) != `{"employees":40,"revenue":"1234.56"}` {
		t.Fatalf("wrote %s", b)
	}
	for _, bad := range []string{`{"employees": 12.5}`, `{"revenue": 1.001}`, `{"mood": 1}`, `{"revenue": "lots"}`} {
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

// TestFiguresJSONIsAMapsJSON: figures write what encoding/json writes for the same object as a
// map (members by key, money as decimal-yuan strings), and read back to themselves.
func TestFiguresJSONIsAMapsJSON(t *testing.T) {
	for _, f := range []Figures{{}, {"revenue": 123456789}, {"employees": 40, "rd_expense": -5, "tax": 0, "exports": 1},
		{"revenue": 1, "industrial_output": 2, "rd_expense": 3, "tax": 4, "employees": 5, "rd_staff": 6, "invention_patents_granted": 7,
			"invention_patents_held": 8, "other_patents_granted": 9, "financing": 10, "exports": 11}} {
		want := map[string]any{}
		for _, m := range Measures {
			if v, ok := f[m.Key]; ok {
				if m.Money {
					want[m.Key] = measure.Money(v)
				} else {
					want[m.Key] = v
				}
			}
		}
		wantJSON, _ := json.Marshal(want)
		got, err := json.Marshal(f)
		if err != nil || string(got) != string(wantJSON) {
			t.Fatalf("figures %v: %s, %v; want %s", f, got, err, wantJSON)
		}
		var back Figures
		if err := json.Unmarshal(got, &back); err != nil || !maps.Equal(back, f) {
			t.Fatalf("%s read back as %v, %v", got, back, err)
		}
	}
}
