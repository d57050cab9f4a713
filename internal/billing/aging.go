package billing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
)

// AgingStore is what aging, collection and dunning need of the data layer.
type AgingStore interface {
	// AgingBuckets sums what was owed on a day on issued bills in the caller's scope, by group
	// (enterprise or park) and bucket: 0 not yet due, 1 to 4 for 0–30, 31–60, 61–90 and 90+
	// days past due.
	AgingBuckets(ctx context.Context, sc identity.Scope, q AgingQuery) ([]AgingCell, error)
	// Collected sums, for bills due in [from, to), what they billed and what was paid on them
	// by a day, in the caller's scope.
	Collected(ctx context.Context, sc identity.Scope, parkID string, from, to, by civil.Date) (billed, paid measure.Money, err error)
	// BillingSettings are a park's reminder days (nil: none set) and the day its billing
	// begins (zero: every charge).
	BillingSettings(ctx context.Context, parkID string) ([]int, civil.Date, error)
	SaveBillingSettings(ctx context.Context, parkID string, offsets []int, from civil.Date) error
	// ClaimDunning marks as sent, and returns, the reminders due on a day that were not sent:
	// each open issued bill whose due date plus one of its park's offsets has come.
	ClaimDunning(ctx context.Context, today civil.Date) ([]Reminder, error)
	// ClaimReminderDay records that reminders are sent on a day: false when they were already.
	ClaimReminderDay(ctx context.Context, day civil.Date) (bool, error)
}

// AgingQuery asks for the receivables of a day by enterprise or park, of one park or all in
// scope (the authority's pool).
type AgingQuery struct {
	On     civil.Date
	By     string // enterprise | park
	ParkID string
}

// AgingCell is what a group owed in one bucket.
type AgingCell struct {
	Group, Name string
	Bucket      int
	Owed        measure.Money
}

// AgingRow is a group's receivables on the day, by bucket.
type AgingRow struct {
	Key     string        `json:"key"`
	Name    string        `json:"name"`
	NotDue  measure.Money `json:"not_due"`
	Days30  measure.Money `json:"days_0_30"`
	Days60  measure.Money `json:"days_31_60"`
	Days90  measure.Money `json:"days_61_90"`
	Over90  measure.Money `json:"days_over_90"`
	Overdue measure.Money `json:"overdue"`
	Total   measure.Money `json:"total"`
}

// Aging is the receivables on a day (§5).
type Aging struct {
	On    civil.Date `json:"on"`
	By    string     `json:"by"`
	Rows  []AgingRow `json:"rows"`
	Total AgingRow   `json:"total"`
}

func (r *AgingRow) add(bucket int, owed measure.Money) {
	*[]*measure.Money{&r.NotDue, &r.Days30, &r.Days60, &r.Days90, &r.Over90}[bucket] += owed
	if bucket > 0 {
		r.Overdue += owed
	}
	r.Total += owed
}

// AgingOn is what was owed on a day, by enterprise or park, in buckets of days past due.
func (s *Service) AgingOn(ctx context.Context, sc identity.Scope, q AgingQuery) (Aging, error) {
	if q.On.IsZero() {
		q.On = s.clock.Today()
	}
	if q.By == "" {
		q.By = "enterprise"
	}
	if q.By != "enterprise" && q.By != "park" {
		return Aging{}, apperr.FieldProblem("by", "unknown_value", "分组应为 enterprise 或 park", "by must be enterprise or park")
	}
	if q.On.Year() < 2000 || q.On.Year() > 2100 {
		return Aging{}, apperr.FieldProblem("on", "out_of_range", "日期应在 2000–2100 年之间", "the day must lie within 2000–2100")
	}
	if q.ParkID != "" {
		if err := s.st.CheckBillingPark(ctx, sc, q.ParkID); err != nil {
			return Aging{}, err
		}
	}
	if !sc.May(identity.Bill) && sc.Role != identity.Authority {
		return Aging{}, apperr.ErrForbidden()
	}
	cells, err := s.st.AgingBuckets(ctx, sc, q)
	if err != nil {
		return Aging{}, err
	}
	out := Aging{On: q.On, By: q.By, Rows: []AgingRow{}, Total: AgingRow{Key: "total"}}
	at := map[string]int{}
	for _, c := range cells {
		i, ok := at[c.Group]
		if !ok {
			i = len(out.Rows)
			at[c.Group] = i
			out.Rows = append(out.Rows, AgingRow{Key: c.Group, Name: c.Name})
		}
		out.Rows[i].add(c.Bucket, c.Owed)
		out.Total.add(c.Bucket, c.Owed)
	}
	slices.SortFunc(out.Rows, func(a, b AgingRow) int {
		if a.Overdue != b.Overdue {
			return int(b.Overdue - a.Overdue)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// CollectionMonth is one month's collection: what its bills billed and what was paid by the
// end of the month after.
type CollectionMonth struct {
	Month  string        `json:"month"`
	Billed measure.Money `json:"billed"`
	Paid   measure.Money `json:"paid"`
	Rate   *float64      `json:"rate,omitempty"`
}

// Collection is the collection rate per month of the twelve months to the month of on: for the
// bills due in each month, what was paid by the end of the following month ÷ what they billed.
func (s *Service) Collection(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) ([]CollectionMonth, error) {
	if on.IsZero() {
		on = s.clock.Today()
	}
	if on.Year() < 2000 || on.Year() > 2100 {
		return nil, apperr.FieldProblem("on", "out_of_range", "日期应在 2000–2100 年之间", "the day must lie within 2000–2100")
	}
	if parkID != "" {
		if err := s.st.CheckBillingPark(ctx, sc, parkID); err != nil {
			return nil, err
		}
	}
	if !sc.May(identity.Bill) && sc.Role != identity.Authority {
		return nil, apperr.ErrForbidden()
	}
	first := civil.Of(on.Year(), on.Month(), 1).AddMonths(-11)
	out := make([]CollectionMonth, 12)
	for i := range out {
		from := first.AddMonths(i)
		billed, paid, err := s.st.Collected(ctx, sc, parkID, from, from.AddMonths(1), from.AddMonths(2).AddDays(-1))
		if err != nil {
			return nil, err
		}
		out[i] = CollectionMonth{Month: from.String()[:7], Billed: billed, Paid: paid}
		if billed > 0 {
			r := float64(paid) / float64(billed)
			out[i].Rate = &r
		}
	}
	return out, nil
}

// DefaultDunning is the reminder schedule of a park that set none: three days before the due
// date, on it, a week after and a month after.
var DefaultDunning = []int{-3, 0, 7, 30}

// ParseOffsets reads a dunning schedule written "-3, 0, 7, 30" (days from the due date).
func ParseOffsets(text string) ([]int, error) {
	var out []int
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
		n, err := strconv.Atoi(part)
		if err != nil || n < -60 || n > 365 {
			return nil, apperr.FieldProblem("offsets", "bad_offset", "提醒日写法：相对应付日的天数，-60 到 365，用逗号分隔，如 -3, 0, 7, 30",
				"write days from the due date, -60 to 365, separated by commas, e.g. -3, 0, 7, 30")
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) == 0 || len(out) > 10 {
		return nil, apperr.FieldProblem("offsets", "bad_offset", "提醒日应有 1–10 个", "give 1–10 reminder days")
	}
	slices.Sort(out)
	return out, nil
}

// Settings are a park's billing settings: its reminder days (days from a bill's due date,
// negative before it) and the day its billing in ParkOS begins — charges due before it were
// billed elsewhere, so no run bills them (zero: every charge since the leases began).
type Settings struct {
	ReminderDays []int      `json:"reminder_days"`
	BillingFrom  civil.Date `json:"billing_from"`
}

// SettingsOf are a park's billing settings (its billing staff and the authority).
func (s *Service) SettingsOf(ctx context.Context, sc identity.Scope, parkID string) (Settings, error) {
	if err := s.st.CheckBillingPark(ctx, sc, parkID); err != nil {
		return Settings{}, err
	}
	if !mayBill(sc, parkID) && sc.Role != identity.Authority {
		return Settings{}, apperr.ErrForbidden()
	}
	offsets, from, err := s.st.BillingSettings(ctx, parkID)
	if len(offsets) == 0 {
		offsets = DefaultDunning
	}
	return Settings{ReminderDays: offsets, BillingFrom: from}, err
}

// SetSettings sets a park's billing settings.
func (s *Service) SetSettings(ctx context.Context, sc identity.Scope, parkID string, in Settings) (Settings, error) {
	if err := s.st.CheckBillingPark(ctx, sc, parkID); err != nil {
		return Settings{}, err
	}
	if !mayBill(sc, parkID) {
		return Settings{}, apperr.ErrForbidden()
	}
	text := strings.Trim(strings.ReplaceAll(fmt.Sprint(in.ReminderDays), " ", ","), "[]")
	clean, err := ParseOffsets(text)
	if err != nil {
		return Settings{}, apperr.FieldProblem("reminder_days", "bad_offset", "提醒日应为 1–10 个 -60 到 365 之间的天数", "give 1–10 reminder days, each from -60 to 365")
	}
	if !in.BillingFrom.IsZero() && (in.BillingFrom.Year() < 2000 || in.BillingFrom.Year() > 2100) {
		return Settings{}, apperr.FieldProblem("billing_from", "out_of_range", "日期应在 2000–2100 年之间", "the day must lie within 2000–2100")
	}
	out := Settings{ReminderDays: clean, BillingFrom: in.BillingFrom}
	return out, s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.SaveBillingSettings(ctx, parkID, clean, in.BillingFrom); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "billing_settings", parkID, nil, SettingsRecord{ParkID: parkID, Settings: out})
	})
}

// SettingsRecord is a park's settings as the audit trail keeps them.
type SettingsRecord struct {
	ParkID string `json:"park_id"`
	Settings
}

// Reminder is a bill an enterprise is reminded of, days from its due date.
type Reminder struct {
	Bill   Bill
	Offset int
}

// Remind sends the payment reminders due today, each once, to the enterprise's users and the
// park's group robots, and says how many it sent. It runs once a day (the outbox worker calls
// it every few seconds, on every instance).
func (s *Service) Remind(ctx context.Context) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		first, err := s.st.ClaimReminderDay(ctx, s.clock.Today())
		if err != nil || !first {
			return err
		}
		due, err := s.st.ClaimDunning(ctx, s.clock.Today())
		if err != nil {
			return err
		}
		n = len(due)
		if s.notify == nil {
			return nil
		}
		for _, r := range due {
			b := r.Bill
			zh, en := fmt.Sprintf("请于 %s 前缴纳", b.DueOn), fmt.Sprintf("due by %s", b.DueOn)
			if r.Offset > 0 {
				zh, en = fmt.Sprintf("已逾期 %d 天", r.Offset), fmt.Sprintf("%d days overdue", r.Offset)
			}
			m := notify.Message{Kind: "bill_reminder", Link: "/billing/bills/" + b.ID, ParkID: b.ParkID,
				TitleZh: "缴费提醒：" + b.Number, TitleEn: "Payment reminder: " + b.Number,
				BodyZh: fmt.Sprintf("%s 未付 %s 元，%s", b.EnterpriseName, b.Outstanding, zh), BodyEn: fmt.Sprintf("%s owes %s yuan, %s", b.EnterpriseName, b.Outstanding, en)}
			if err := s.notify.TellEnterprise(ctx, b.EnterpriseID, m); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
